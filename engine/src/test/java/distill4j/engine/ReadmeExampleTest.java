package distill4j.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.engine.distill.SoftTargets;
import distill4j.engine.distill.Teacher;
import distill4j.engine.loss.DistillationLoss;
import distill4j.engine.loss.Losses;
import distill4j.engine.nn.MLP;
import distill4j.engine.nn.Sequential;
import distill4j.engine.optim.MaxNorm;
import distill4j.engine.optim.SGD;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The README's 30-second example, as a test: train a dropout teacher on a synthetic 10-class problem,
 * then distill a much smaller student from its soft targets at T = 4, and check both actually learned.
 */
class ReadmeExampleTest {
    private static final int CLASSES = 10, DIM = 20;

    /** 10 overlapping Gaussian clusters in 20 dimensions, passed through a fixed nonlinearity. */
    private static Object[] data(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        SplittableRandom centres = new SplittableRandom(7); // the same class centres for train and test
        float[][] mu = new float[CLASSES][DIM];
        for (float[] c : mu) for (int j = 0; j < DIM; j++) c[j] = (float) (2 * centres.nextDouble() - 1);
        float[] x = new float[n * DIM];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(CLASSES);
            for (int j = 0; j < DIM; j++) {
                double v = mu[y[i]][j] + 0.8 * distill4j.engine.nn.Init.gaussian(rng);
                x[i * DIM + j] = (float) Math.tanh(1.5 * v);
            }
        }
        return new Object[] {Tensor.of(x, n, DIM), y};
    }

    @Test
    void trainATeacherThenDistillAStudent() {
        Object[] train = data(3000, 1), test = data(1000, 2);
        Tensor x = (Tensor) train[0], xTest = (Tensor) test[0];
        int[] y = (int[]) train[1], yTest = (int[]) test[1];

        // --- README example starts here ---
        // 1. A teacher: 20-64-64-10 ReLU net with dropout and a max-norm constraint
        Sequential teacher = MLP.of(20, 64, 64, 10).dropout(0.1, 0.3).seed(1).build();
        SGD sgd = new SGD(teacher.namedParameters(), 0.05).momentum(0.9);
        sgd.constrain(MaxNorm.onHiddenLayers(teacher, 3.0));
        for (int epoch = 0; epoch < 8; epoch++) {
            for (int[] batch : Batches.shuffled(x.dim(0), 100, epoch)) {
                sgd.zeroGrad();
                Losses.crossEntropy(teacher.forward(x.rows(batch)), Batches.select(y, batch)).backward();
                sgd.step();
            }
        }

        // 2. Its soft targets at T = 4, computed once without a graph
        double t = 4;
        Tensor soft = SoftTargets.compute(Teacher.of(teacher), x, t, 500);

        // 3. A small student (20-16-10) trained on  0.9 · T² · CE(p, q) + 0.1 · CE(y, softmax(z))
        Sequential student = MLP.of(20, 16, 10).seed(2).build();
        DistillationLoss kd = new DistillationLoss(0.9, t);
        SGD opt = new SGD(student.namedParameters(), 0.05).momentum(0.9);
        for (int epoch = 0; epoch < 8; epoch++) {
            for (int[] batch : Batches.shuffled(x.dim(0), 100, 100 + epoch)) {
                opt.zeroGrad();
                kd.compute(student.forward(x.rows(batch)), soft.rows(batch), Batches.select(y, batch)).backward();
                opt.step();
            }
        }
        double teacherAcc = Batches.accuracy(teacher.predict(xTest), yTest);
        double studentAcc = Batches.accuracy(student.predict(xTest), yTest);
        // --- README example ends here ---

        System.out.printf("README example: teacher test accuracy %.3f, distilled student %.3f%n", teacherAcc, studentAcc);
        // chance is 0.1 (seen: teacher 0.876, student 0.872 on scalar); both learned, the student close to its teacher
        assertTrue(teacherAcc > 0.80, "teacher accuracy " + teacherAcc);
        assertTrue(studentAcc > 0.75, "student accuracy " + studentAcc + " (teacher " + teacherAcc + ")");
        assertTrue(studentAcc > teacherAcc - 0.08, "student " + studentAcc + " far below teacher " + teacherAcc);
    }
}
