package dev.lanes.compiler.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The per-test exceptions, read from two tab-separated files in the test resources. A test is
 * named by its path {@code suite/folder} (for example {@code node/test_relu},
 * {@code debian/test_gemm_default_no_bias}, {@code models/resnet18}); patterns are globs where
 * {@code *} matches any run of characters and {@code ?} one character.
 * <ul>
 * <li>{@code conformance/out-of-scope.tsv}: {@code pattern<TAB>reason}: tests of features Lanes
 * does not implement on purpose. They still run, so one that starts passing is reported.</li>
 * <li>{@code tolerances.tsv}: {@code pattern<TAB>atol<TAB>rtol<TAB>justification}: tests that
 * need another tolerance than the default.</li>
 * </ul>
 * Lines starting with {@code #} and blank lines are ignored; the first matching line wins.
 */
public final class TestRules {
    /** The default comparison: |got - want| <= 1e-4 + 1e-3 * |want|. */
    public static final Tolerance DEFAULT_TOLERANCE = new Tolerance(1e-4, 1e-3, "default");

    /**
     * How close a value must be: {@code |got - want| <= atol + rtol * |want|}.
     *
     * @param atol          absolute tolerance
     * @param rtol          relative tolerance
     * @param justification why this tolerance (from the file), or "default"
     */
    public record Tolerance(double atol, double rtol, String justification) {
        @Override
        public String toString() {
            return "atol " + atol + ", rtol " + rtol;
        }
    }

    /**
     * A line of the out-of-scope list.
     *
     * @param pattern the glob as written
     * @param reason  why the test is out of scope
     */
    public record OutOfScope(String pattern, String reason) {
    }

    private record Line(Pattern pattern, String[] fields) {
    }

    private static final TestRules INSTANCE = new TestRules();

    private final List<Line> outOfScope;
    private final List<Line> tolerances;

    private TestRules() {
        outOfScope = load("/conformance/out-of-scope.tsv", 2);
        tolerances = load("/tolerances.tsv", 4);
    }

    /** The rules of this build's test resources. */
    public static TestRules get() {
        return INSTANCE;
    }

    /** The out-of-scope entry matching a test path, or null when the test is in scope. */
    public OutOfScope outOfScope(String testPath) {
        for (Line l : outOfScope) {
            if (l.pattern.matcher(testPath).matches()) {
                return new OutOfScope(l.fields[0], l.fields[1]);
            }
        }
        return null;
    }

    /** Every line of the out-of-scope list, in file order. */
    public List<OutOfScope> outOfScopeLines() {
        return outOfScope.stream().map(l -> new OutOfScope(l.fields[0], l.fields[1])).toList();
    }

    /** The tolerance of a test path: its line in {@code tolerances.tsv}, or the default. */
    public Tolerance tolerance(String testPath) {
        for (Line l : tolerances) {
            if (l.pattern.matcher(testPath).matches()) {
                return new Tolerance(Double.parseDouble(l.fields[1]),
                        Double.parseDouble(l.fields[2]), l.fields[3]);
            }
        }
        return DEFAULT_TOLERANCE;
    }

    /** Turns a glob into a regex: {@code *} any run of characters, {@code ?} one. */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    private static List<Line> load(String resource, int fields) {
        List<Line> lines = new ArrayList<>();
        try (InputStream in = TestRules.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + resource + " is missing");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in,
                    StandardCharsets.UTF_8));
            String s;
            int n = 0;
            while ((s = r.readLine()) != null) {
                n++;
                if (s.isBlank() || s.startsWith("#")) {
                    continue;
                }
                String[] f = s.split("\t");
                if (f.length != fields || f[0].isBlank() || f[fields - 1].isBlank()) {
                    throw new IllegalStateException(resource + " line " + n + ": expected "
                            + fields + " tab-separated fields, got: " + s);
                }
                lines.add(new Line(glob(f[0].strip()), f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }
}
