package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void escapesStrings() {
        assertEquals("\"a\\\"b\\\\c\\n\\t\\u0001\u00e9\"", Json.write("a\"b\\c\n\t\u0001\u00e9"));
    }

    @Test
    void writesNestedValuesInOrder() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("n", 3L);
        o.put("x", 1.5);
        o.put("nan", Double.NaN);
        o.put("ok", true);
        o.put("none", null);
        o.put("dims", List.of("N", 3));
        o.put("empty", List.of());
        o.put("objs", List.of(Map.of("k", "v")));
        o.put("nulls", Arrays.asList(1, null));
        assertEquals("""
                {
                  "n": 3,
                  "x": 1.5,
                  "nan": null,
                  "ok": true,
                  "none": null,
                  "dims": ["N", 3],
                  "empty": [],
                  "objs": [
                    {
                      "k": "v"
                    }
                  ],
                  "nulls": [1, null]
                }""", Json.write(o));
    }
}
