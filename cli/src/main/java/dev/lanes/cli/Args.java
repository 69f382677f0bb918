package dev.lanes.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed arguments of one subcommand: positional arguments, options that take a value
 * ({@code --name value} or {@code --name=value}, repeatable) and flags. {@code --} ends the
 * options; {@code -h} is {@code --help}.
 */
final class Args {
    private final List<String> positional = new ArrayList<>();
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Args() {
    }

    /**
     * Parses {@code args} for a command that accepts the given value options and flags (each
     * with its leading dashes); {@code --help} is always accepted.
     */
    static Args parse(List<String> args, Set<String> valueOptions, Set<String> flags)
            throws UsageException {
        Args a = new Args();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                a.positional.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (name.equals("-h")) {
                name = "--help";
            }
            if (name.equals("--help") || flags.contains(name)) {
                if (value != null) {
                    throw new UsageException(name + " takes no value");
                }
                a.values.computeIfAbsent(name, k -> new ArrayList<>()).add("");
            } else if (valueOptions.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException(name + " needs a value");
                    }
                    value = args.get(++i);
                }
                a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new UsageException("unknown option " + name);
            }
        }
        return a;
    }

    /** The positional arguments in order. */
    List<String> positional() {
        return positional;
    }

    /** True when the flag (or option) was given. */
    boolean has(String name) {
        return values.containsKey(name);
    }

    /** Every value given to a repeatable option, in order. */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** The last value of an option, or {@code dflt}. */
    String value(String name, String dflt) {
        List<String> v = values.get(name);
        return v == null ? dflt : v.get(v.size() - 1);
    }

    /** An option's value as an int of at least {@code min}, or {@code dflt}. */
    int intValue(String name, int dflt, int min) throws UsageException {
        String v = value(name, null);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min) {
                throw new UsageException(name + " must be " + min + " or more, got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a whole number, got '" + v + "'");
        }
    }

    /** An option's value as a finite, non-negative number, or {@code dflt}. */
    double doubleValue(String name, double dflt) throws UsageException {
        String v = value(name, null);
        if (v == null) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!(d >= 0) || Double.isInfinite(d)) {
                throw new UsageException(name + " must be a finite number >= 0, got " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a number, got '" + v + "'");
        }
    }

    /** Checks that between {@code min} and {@code max} positional arguments were given. */
    void expectPositional(int min, int max, String what) throws UsageException {
        int n = positional.size();
        if (n < min) {
            throw new UsageException("missing " + what);
        }
        if (n > max) {
            throw new UsageException("unexpected argument '" + positional.get(max) + "'");
        }
    }
}
