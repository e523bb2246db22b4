package distill4j.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The public use of {@link Json} by reports (examples): doubles and floats, round trips, non-finite values. */
class JsonPublicApiTest {
    @Test
    void doublesAndFloatsRoundTrip() throws Json.ParseException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("d", 0.1);
        m.put("f", 0.1f);
        m.put("tiny", 2.5e-7);
        m.put("whole", 3.0);
        m.put("i", 7);
        m.put("l", List.of(1.5, -2.25f, 10L));
        String s = Json.write(m);
        assertEquals("{\"d\":0.1,\"f\":0.1,\"tiny\":2.5E-7,\"whole\":3.0,\"i\":7,\"l\":[1.5,-2.25,10]}", s);
        Map<?, ?> back = (Map<?, ?>) Json.parse(s);
        assertEquals(0.1, ((BigDecimal) back.get("d")).doubleValue());
        assertEquals(0.1f, ((BigDecimal) back.get("f")).floatValue());
        assertEquals(2.5e-7, ((BigDecimal) back.get("tiny")).doubleValue());
        assertEquals(BigInteger.valueOf(7), back.get("i"));
    }

    @Test
    void nonFiniteNumbersBecomeNull() throws Json.ParseException {
        List<Object> l = List.of(Double.NaN, Float.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        assertEquals("[null,null,null]", Json.write(l));
        assertSame(Json.NULL, ((List<?>) Json.parse("[null]")).get(0));
    }

    @Test
    void unsupportedValuesAndBadJsonAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(new int[] {1}));
        assertThrows(Json.ParseException.class, () -> Json.parse("{\"a\":}"));
    }
}
