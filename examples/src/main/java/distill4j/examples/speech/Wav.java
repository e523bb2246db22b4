package distill4j.examples.speech;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** 16-bit PCM mono RIFF/WAVE files: what flite and sox write, and what the corpus stores. */
public final class Wav {
    private Wav() {}

    /** Samples as 16-bit integers and the sample rate. */
    public record Audio(short[] samples, int sampleRate) {}

    /** Reads a 16-bit mono PCM wav; errors name the file and what is wrong with it. */
    public static Audio read(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (b.length < 12 || buf.getInt(0) != 0x46464952 || buf.getInt(8) != 0x45564157) {
            throw new IOException(file + ": not a RIFF/WAVE file");
        }
        int pos = 12, rate = -1, channels = -1, bits = -1, format = -1;
        while (pos + 8 <= b.length) {
            int id = buf.getInt(pos);
            long size = Integer.toUnsignedLong(buf.getInt(pos + 4));
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                if (size < 16 || body + 16 > b.length) throw new IOException(file + ": truncated fmt chunk");
                format = buf.getShort(body);
                channels = buf.getShort(body + 2);
                rate = buf.getInt(body + 4);
                bits = buf.getShort(body + 14);
            } else if (id == 0x61746164) { // "data"
                if (format != 1 || channels != 1 || bits != 16) {
                    throw new IOException(file + ": expected 16-bit PCM mono, got format " + format + ", "
                            + channels + " channels, " + bits + " bits");
                }
                if (body + size > b.length) {
                    throw new IOException(file + ": data chunk says " + size + " bytes but the file has "
                            + (b.length - body) + " (truncated)");
                }
                short[] s = new short[(int) (size / 2)];
                for (int i = 0; i < s.length; i++) s[i] = buf.getShort(body + 2 * i);
                return new Audio(s, rate);
            }
            pos = body + (int) size + (int) (size & 1);
        }
        throw new IOException(file + ": no data chunk");
    }

    /** Writes 16-bit PCM mono (a plain 44-byte header, as flite writes). */
    public static void write(Path file, short[] samples, int sampleRate) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(44 + 2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(0x46464952).putInt(36 + 2 * samples.length).putInt(0x45564157);
        buf.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 1).putInt(sampleRate)
                .putInt(2 * sampleRate).putShort((short) 2).putShort((short) 16);
        buf.putInt(0x61746164).putInt(2 * samples.length);
        for (short v : samples) buf.putShort(v);
        Files.write(file, buf.array());
    }
}
