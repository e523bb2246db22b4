package distill4j.spark;

import distill4j.examples.cli.Progress;
import distill4j.examples.data.Examples;
import distill4j.examples.speech.SpeechExperiments;
import java.io.IOException;
import java.io.PrintStream;

/**
 * One split ("train", "dev", "test-speakers", "test-voice") of the speech corpus named by a {@code speech}
 * command line, as a {@link TransferSet}: an executor parses the same options and opens the same corpus.
 */
public record SpeechSplit(String[] speechArgs, String split) implements TransferSet {
    private static final long serialVersionUID = 1L;

    public SpeechSplit {
        speechArgs = speechArgs.clone();
    }

    @Override
    public Examples open() throws IOException {
        SpeechExperiments e = experiments(speechArgs, System.out);
        e.open();
        return e.frames(split);
    }

    /** A fresh {@link SpeechExperiments} for the command line {@code speech ARGS} (no {@code speech}, no {@code --spark}). */
    static SpeechExperiments experiments(String[] speechArgs, PrintStream log) {
        return new SpeechExperiments(SparkMain.speechSettings(speechArgs), log, new Progress(log, false));
    }

}
