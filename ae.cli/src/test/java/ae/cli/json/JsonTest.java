package ae.cli.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesEveryKindOfValue() {
        Object parsed = Json.parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\": {\"c\": \"d\\u00e9\\n\"}, \"e\": []} ");

        Map<?, ?> object = (Map<?, ?>) parsed;
        List<?> array = (List<?>) object.get("a");
        assertEquals(new BigDecimal("1"), array.get(0));
        assertEquals(new BigDecimal("-2.5e3"), array.get(1));
        assertEquals(Boolean.TRUE, array.get(2));
        assertEquals(Boolean.FALSE, array.get(3));
        assertNull(array.get(4));
        assertEquals("d\u00e9\n", ((Map<?, ?>) object.get("b")).get("c"));
        assertEquals(List.of(), object.get("e"));
    }

    @Test
    void malformedInputNamesThePlace() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\n  \"a\" 1}"));
        assertTrue(error.getMessage().contains("line 2"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] 2"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"\\x\""));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("tru"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("-"));
    }

    @Test
    void quotedStringsParseBackToThemselves() {
        qt().forAll(strings().allPossible().ofLengthBetween(0, 40))
                .checkAssert(text -> assertEquals(text, Json.parse(Json.quote(text))));
    }
}
