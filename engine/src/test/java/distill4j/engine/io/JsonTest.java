package distill4j.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    private static String write(Object v) {
        StringBuilder sb = new StringBuilder();
        Json.write(sb, v);
        return sb.toString();
    }

    @Test
    void parsesEveryKindOfValue() throws Exception {
        Object v = Json.parse(" {\"a\" : [1, -0, 12345678901234567890, 1.5e3, -2E-2], \"b\":{}, \"c\":[],"
                + "\"d\":true,\"e\":false,\"f\":null,\"g\":\"x\"}\t\r\n ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g"), List.copyOf(m.keySet()), "key order is kept");
        assertEquals(List.of(BigInteger.ONE, BigInteger.ZERO, new BigInteger("12345678901234567890"),
                new BigDecimal("1.5e3"), new BigDecimal("-2E-2")), m.get("a"));
        assertEquals(Map.of(), m.get("b"));
        assertEquals(List.of(), m.get("c"));
        assertEquals(Boolean.TRUE, m.get("d"));
        assertEquals(Boolean.FALSE, m.get("e"));
        assertEquals(Json.NULL, m.get("f"));
        assertEquals("x", m.get("g"));
    }

    @Test
    void decodesEscapesAndSurrogatePairs() throws Exception {
        assertEquals("\"\\/\b\f\n\r\t\u00e9\uD834\uDD1E", Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00E9\\ud834\\udd1e\""));
        assertEquals("größe 𝄞", Json.parse("\"größe 𝄞\""), "raw UTF-16 from decoded UTF-8 passes through");
    }

    @Test
    void writerEscapesLikeSerdeJsonAndRoundTrips() throws Exception {
        String tricky = "q\"b\\s/ \u0000\u0001\u001f\b\f\n\r\t é 𝄞 \u007f";
        String json = write(tricky);
        assertEquals("\"q\\\"b\\\\s/ \\u0000\\u0001\\u001f\\b\\f\\n\\r\\t é 𝄞 \u007f\"", json);
        assertEquals(tricky, Json.parse(json));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", List.of(0L, 24L));
        m.put("a", Map.of("k", "v"));
        assertEquals("{\"z\":[0,24],\"a\":{\"k\":\"v\"}}", write(m));
    }

    @Test
    void rejectsMalformedJsonWithThePosition() {
        String[] bad = {"", "{", "{\"a\":1,}", "{\"a\" 1}", "[1 2]", "{a:1}", "\"abc", "\"a\\x\"", "\"\\u12G4\"",
            "\"\\u12\"", "01", "1.", "-", "1e", "tru", "nul", "{} x", "\"\t\"", "\"\\udd1e\"", "\"\\ud834x\"",
            "\"\\ud834\\u0041\"", "[\"\\u٣٣٣٣\"]", "+1", ".5"};
        for (String s : bad) {
            Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(s), s);
            assertTrue(e.getMessage().startsWith("at character "), e.getMessage());
        }
    }

    @Test
    void rejectsDuplicateKeysAtAnyDepth() {
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse("{\"a\":1,\"b\":{\"x\":1,\"x\":2}}"));
        assertTrue(e.getMessage().contains("duplicate key \"x\""), e.getMessage());
    }

    @Test
    void rejectsAbsurdlyLongNumbers() throws Exception {
        assertEquals(new BigInteger("9".repeat(Json.MAX_NUMBER_CHARS)), Json.parse("9".repeat(Json.MAX_NUMBER_CHARS)));
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse("[" + "9".repeat(1_000_000) + "]"));
        assertTrue(e.getMessage().contains("at character 1: number literal longer than"), e.getMessage());
    }

    @Test
    void rejectsDeepNestingWithoutStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nesting deeper than"), e.getMessage());
    }
}
