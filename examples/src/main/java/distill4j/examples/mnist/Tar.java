package distill4j.examples.mnist;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A small reader of (ustar / GNU / pax) tar streams, enough for npm tarballs: regular files with their
 * names (ustar prefix, GNU long names and pax {@code path} records honoured); everything else skipped.
 */
final class Tar {
    private static final int BLOCK = 512;
    /** Largest entry we load into memory; MNIST's biggest file is 47 MB. */
    static final long MAX_ENTRY = 512L << 20;

    private Tar() {}

    interface Data {
        byte[] get() throws IOException;
    }

    interface Visitor {
        /** Called for each regular file; call {@code data.get()} to read its content (at most once). */
        void file(String name, Data data) throws IOException;
    }

    static void read(InputStream in, Visitor visitor) throws IOException {
        byte[] header = new byte[BLOCK];
        String longName = null;
        while (true) {
            if (!readFully(in, header)) return; // end of stream without the two zero blocks: tolerated
            if (allZero(header)) return;
            checkChecksum(header);
            String name = string(header, 0, 100);
            String prefix = string(header, 345, 155);
            if (!prefix.isEmpty() && isUstar(header)) name = prefix + "/" + name;
            long size = octal(header, 124, 12);
            if (size < 0 || size > MAX_ENTRY) throw new IOException("tar: entry " + name + " has bad size " + size);
            char type = (char) header[156];
            long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
            if (type == 'L' || type == 'x') { // GNU long name or pax extended header for the next entry
                byte[] body = readBytes(in, size, name);
                skip(in, padded - size);
                String value = new String(body, StandardCharsets.UTF_8);
                longName = type == 'L' ? value.replace("\0", "") : paxPath(value, longName);
                continue;
            }
            if (longName != null) {
                name = longName;
                longName = null;
            }
            if (type == '0' || type == '\0' || type == '7') {
                final long n = size;
                final String entry = name;
                boolean[] consumed = {false};
                visitor.file(name, () -> {
                    if (consumed[0]) throw new IllegalStateException("tar: data of " + entry + " read twice");
                    consumed[0] = true;
                    return readBytes(in, n, entry);
                });
                skip(in, consumed[0] ? padded - size : padded);
            } else {
                skip(in, padded);
            }
        }
    }

    private static String paxPath(String records, String previous) {
        // records: "<len> key=value\n" ...
        for (String line : records.split("\n")) {
            int sp = line.indexOf(' ');
            int eq = line.indexOf('=');
            if (sp > 0 && eq > sp && line.substring(sp + 1, eq).equals("path")) return line.substring(eq + 1);
        }
        return previous;
    }

    private static boolean isUstar(byte[] h) {
        return h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
    }

    private static void checkChecksum(byte[] h) throws IOException {
        long stored = octal(h, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xFF);
        if (stored != sum) throw new IOException("tar: header checksum " + stored + " != computed " + sum + " (corrupt archive)");
    }

    private static String string(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) end++;
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] h, int off, int len) throws IOException {
        if ((h[off] & 0x80) != 0) { // GNU base-256 for large sizes
            long v = h[off] & 0x7F;
            for (int i = off + 1; i < off + len; i++) v = (v << 8) | (h[i] & 0xFF);
            return v;
        }
        long v = 0;
        for (int i = off; i < off + len; i++) {
            int c = h[i];
            if (c == 0 || c == ' ') {
                if (v > 0) break;
                continue;
            }
            if (c < '0' || c > '7') throw new IOException("tar: bad octal digit '" + (char) c + "' in header");
            v = v * 8 + (c - '0');
        }
        return v;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static boolean readFully(InputStream in, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = in.read(b, off, b.length - off);
            if (n < 0) {
                if (off == 0) return false;
                throw new EOFException("tar: truncated header");
            }
            off += n;
        }
        return true;
    }

    private static byte[] readBytes(InputStream in, long size, String name) throws IOException {
        byte[] b = new byte[(int) size];
        int off = 0;
        while (off < b.length) {
            int n = in.read(b, off, b.length - off);
            if (n < 0) throw new EOFException("tar: entry " + name + " truncated at " + off + " of " + size + " bytes");
            off += n;
        }
        return b;
    }

    private static void skip(InputStream in, long n) throws IOException {
        byte[] buf = new byte[BLOCK * 8];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) throw new EOFException("tar: truncated archive");
            n -= r;
        }
    }
}
