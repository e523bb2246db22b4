package distill4j.engine.io;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tiny JSON reader and writer the safetensors header needs (RFC 8259, no dependencies).
 *
 * <p>Values map to: object → {@link LinkedHashMap} (key order kept, duplicate keys rejected),
 * array → {@link List}, string → {@link String}, integer → {@link BigInteger}, other number →
 * {@link BigDecimal}, true/false → {@link Boolean}, null → {@link #NULL}.
 *
 * <p>The writer is compact ({@code {"a":[1,2]}}, no spaces) and escapes exactly what serde_json (the
 * reference safetensors writer) escapes: {@code "}, {@code \}, and control characters below U+0020
 * (b, t, n, f, r as two-character escapes, the rest as six-character u-escapes with lowercase hex);
 * everything else is written as UTF-8.
 */
public final class Json {
    /** The JSON literal {@code null} (a map cannot tell a missing key from a Java null). */
    public static final Object NULL = new Object() {
        @Override public String toString() { return "null"; }
    };

    /** Deeper nesting than this is rejected: a header is two levels deep, an attack is thousands. */
    static final int MAX_DEPTH = 128;

    /**
     * Longer number literals are rejected: a header's numbers are 64-bit sizes, and BigInteger parsing
     * of a multi-megabyte digit string would take quadratic time.
     */
    static final int MAX_NUMBER_CHARS = 400;

    private Json() {}

    /** Thrown for malformed JSON; the message names the character offset and what was expected. */
    public static final class ParseException extends Exception {
        private static final long serialVersionUID = 1L;
        ParseException(String message) { super(message); }
    }

    // ---------------------------------------------------------------- reader

    /** Parses one JSON value (see the class comment for the Java types it becomes). */
    public static Object parse(String text) throws ParseException {
        Reader r = new Reader(text);
        r.skipWhitespace();
        Object value = r.value(0);
        r.skipWhitespace();
        if (r.pos != text.length()) throw r.error("unexpected " + r.describe() + " after the end of the JSON value");
        return value;
    }

    private static final class Reader {
        final String s;
        int pos;

        Reader(String s) { this.s = s; }

        ParseException error(String what) {
            return new ParseException("at character " + pos + ": " + what);
        }

        String describe() {
            if (pos >= s.length()) return "end of input";
            char c = s.charAt(pos);
            return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("character U+%04X", (int) c);
        }

        void skipWhitespace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
                pos++;
            }
        }

        Object value(int depth) throws ParseException {
            if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
            if (pos >= s.length()) throw error("expected a value, found end of input");
            char c = s.charAt(pos);
            switch (c) {
                case '{': return object(depth);
                case '[': return array(depth);
                case '"': return string();
                case 't': literal("true"); return Boolean.TRUE;
                case 'f': literal("false"); return Boolean.FALSE;
                case 'n': literal("null"); return NULL;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return number();
                    throw error("expected a value, found " + describe());
            }
        }

        void literal(String word) throws ParseException {
            if (!s.startsWith(word, pos)) throw error("expected '" + word + "'");
            pos += word.length();
        }

        void expect(char c) throws ParseException {
            if (pos >= s.length() || s.charAt(pos) != c) throw error("expected '" + c + "', found " + describe());
            pos++;
        }

        Map<String, Object> object(int depth) throws ParseException {
            expect('{');
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipWhitespace();
                int keyPos = pos;
                if (pos >= s.length() || s.charAt(pos) != '"') throw error("expected a string key, found " + describe());
                String key = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                Object value = value(depth + 1);
                if (map.containsKey(key)) {
                    pos = keyPos;
                    throw error("duplicate key \"" + key + "\"");
                }
                map.put(key, value);
                skipWhitespace();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect('}');
                return map;
            }
        }

        List<Object> array(int depth) throws ParseException {
            expect('[');
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipWhitespace();
                list.add(value(depth + 1));
                skipWhitespace();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect(']');
                return list;
            }
        }

        String string() throws ParseException {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= s.length()) throw error("unterminated string");
                char c = s.charAt(pos);
                if (c == '"') {
                    pos++;
                    return sb.toString();
                }
                if (c < 0x20) throw error(String.format("unescaped control character U+%04X in a string", (int) c));
                if (c != '\\') {
                    sb.append(c);
                    pos++;
                    continue;
                }
                pos++;
                if (pos >= s.length()) throw error("unterminated escape");
                char e = s.charAt(pos++);
                switch (e) {
                    case '"': sb.append('"'); break;
                    case '\\': sb.append('\\'); break;
                    case '/': sb.append('/'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    case 'u': unicodeEscape(sb); break;
                    default:
                        pos--;
                        throw error("invalid escape '\\" + e + "'");
                }
            }
        }

        // After "\\u": four hex digits; a high surrogate must be followed by an escaped low one
        // (serde_json rejects lone surrogates too, and the name must stay valid UTF-16 to re-encode).
        void unicodeEscape(StringBuilder sb) throws ParseException {
            char c = hex4();
            if (Character.isLowSurrogate(c)) throw error("lone low surrogate \\u" + hex(c));
            sb.append(c);
            if (Character.isHighSurrogate(c)) {
                if (!s.startsWith("\\u", pos)) throw error("high surrogate \\u" + hex(c) + " without a low surrogate");
                pos += 2;
                char low = hex4();
                if (!Character.isLowSurrogate(low)) {
                    throw error("high surrogate \\u" + hex(c) + " followed by \\u" + hex(low));
                }
                sb.append(low);
            }
        }

        char hex4() throws ParseException {
            if (pos + 4 > s.length()) throw error("truncated \\u escape");
            int v = 0;
            for (int i = 0; i < 4; i++) {
                char h = s.charAt(pos);
                int d = h >= '0' && h <= '9' ? h - '0'
                        : h >= 'a' && h <= 'f' ? h - 'a' + 10
                        : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                if (d < 0) throw error("invalid hex digit in \\u escape: " + describe());
                v = v * 16 + d;
                pos++;
            }
            return (char) v;
        }

        static String hex(char c) { return String.format("%04x", (int) c); }

        Object number() throws ParseException {
            int start = pos;
            if (s.charAt(pos) == '-') pos++;
            if (pos >= s.length()) throw error("expected a digit, found end of input");
            char c = s.charAt(pos);
            if (c == '0') {
                pos++;
            } else if (c >= '1' && c <= '9') {
                while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            } else {
                throw error("expected a digit, found " + describe());
            }
            boolean integer = true;
            if (pos < s.length() && s.charAt(pos) == '.') {
                integer = false;
                pos++;
                digits();
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                integer = false;
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) pos++;
                digits();
            }
            if (pos - start > MAX_NUMBER_CHARS) {
                pos = start;
                throw error("number literal longer than " + MAX_NUMBER_CHARS + " characters");
            }
            String text = s.substring(start, pos);
            return integer ? new BigInteger(text) : new BigDecimal(text);
        }

        void digits() throws ParseException {
            if (pos >= s.length() || !isDigit(s.charAt(pos))) throw error("expected a digit, found " + describe());
            while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
        }

        static boolean isDigit(char c) { return c >= '0' && c <= '9'; }
    }

    // ---------------------------------------------------------------- writer

    /** {@code value} as compact JSON (see {@link #write(StringBuilder, Object)}). */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    /**
     * Appends {@code value} (Map with String keys, List, String, Number, Boolean or {@link #NULL}) as
     * compact JSON. Doubles and floats are written in Java's shortest round-trip form (a float as the
     * float, e.g. 0.1f as 0.1); NaN and infinities, which JSON cannot represent, as null.
     */
    public static void write(StringBuilder out, Object value) {
        if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) out.append(',');
                first = false;
                writeString(out, (String) e.getKey());
                out.append(':');
                write(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) out.append(',');
                write(out, list.get(i));
            }
            out.append(']');
        } else if (value instanceof String str) {
            writeString(out, str);
        } else if (value instanceof Long || value instanceof Integer || value instanceof BigInteger
                || value instanceof BigDecimal) {
            out.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) out.append("null");
            else out.append(value instanceof Float f ? Float.toString(f) : Double.toString(d));
        } else if (value instanceof Boolean || value == NULL) {
            out.append(value);
        } else {
            throw new IllegalArgumentException("cannot write " + value + " as JSON");
        }
    }

    static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
            }
        }
        out.append('"');
    }
}
