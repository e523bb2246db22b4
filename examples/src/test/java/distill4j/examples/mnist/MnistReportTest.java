package distill4j.examples.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MnistReportTest {
    /** The report's training time adds every model's epoch times once, at any depth, and no wall times. */
    @Test
    void trainingSecondsAddsEveryModelOnceAndIgnoresWallTime() {
        Map<String, Object> sweep = Map.of(
                "units_30", Map.of("hard_label_training_seconds", 3.0,
                        "by_temperature", List.of(Map.of("temperature", 2.0, "training_seconds", 5.0),
                                Map.of("temperature", 4.0, "training_seconds", 7.0))),
                "wall_seconds", 1000.0);
        assertEquals(15.0, MnistReport.trainingSeconds(sweep), 0.0);

        Map<String, Object> ensemble = Map.of(
                "members", List.of(Map.of("name", "teacher", "test_errors", 73), // trained by the teacher experiment
                        Map.of("name", "teacher-2", "training_seconds", 100.0)),
                "arithmetic", Map.of("distilled", Map.of("training_seconds", 20.0, "seconds_per_epoch", 2.0)));
        assertEquals(120.0, MnistReport.trainingSeconds(ensemble), 0.0);
    }
}
