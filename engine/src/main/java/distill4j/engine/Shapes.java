package distill4j.engine;

/** Shape arithmetic and the wording of shape errors, shared by every op. */
public final class Shapes {
    private Shapes() {}

    /** "(3, 4)"; "()" for a scalar; "(5,)" for a vector, as NumPy and PyTorch print them. */
    public static String str(int... shape) {
        if (shape.length == 0) return "()";
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
        if (shape.length == 1) sb.append(',');
        return sb.append(')').toString();
    }

    public static int numel(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + str(shape));
            n *= d;
        }
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + str(shape) + " has more than 2^31 - 1 elements");
        return (int) n;
    }

    /** Rows of a tensor seen as a matrix: the product of all but the last dimension (1 for a vector). */
    static int rows(int[] shape) {
        if (shape.length == 0) return 1;
        int r = 1;
        for (int i = 0; i < shape.length - 1; i++) r *= shape[i];
        return r;
    }

    /** Columns of a tensor seen as a matrix: the last dimension. */
    static int cols(int[] shape) {
        return shape.length == 0 ? 1 : shape[shape.length - 1];
    }

    static IllegalArgumentException mismatch(String op, Tensor a, Tensor b, String expected) {
        return new IllegalArgumentException(op + ": shapes " + str(a.shape()) + " and " + str(b.shape())
                + " do not match" + (expected == null ? "" : " (" + expected + ")"));
    }

    static void requireRank(String op, String what, Tensor t, int rank) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(op + ": " + what + " must have rank " + rank + ", got shape " + str(t.shape()));
        }
    }
}
