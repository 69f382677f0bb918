package dev.lanes.cli;

import dev.lanes.errors.LanesException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code lanes} command: picks a subcommand by its first argument. Exit codes: 0 success,
 * 1 failure (a model that cannot load or run, a check that fails), 2 a command line that cannot
 * be used.
 */
public final class Main {
    /** Exit code of a success. */
    public static final int OK = 0;
    /** Exit code of a failed command (bad model, failed check, I/O error). */
    public static final int FAILED = 1;
    /** Exit code of a command line that cannot be used. */
    public static final int USAGE = 2;

    private final Map<String, Command> commands = new LinkedHashMap<>();

    /** A command line with the built-in subcommands. */
    public Main() {
        for (Command c : List.of(new RunCommand(), new CheckCommand(), new InspectCommand(),
                new CompileCommand("compile"), new CompileCommand("convert"), new DemoCommand(),
                new OpsCommand(), new BenchCommand(), new TrainCommand())) {
            commands.put(c.name(), c);
        }
    }

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        int code = new Main().run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /** Runs a command line, printing to {@code out} and {@code err}; returns the exit code. */
    public int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(overview());
            return USAGE;
        }
        String first = args[0];
        switch (first) {
            case "--version", "-V", "version" -> {
                out.println("lanes " + Version.get());
                return OK;
            }
            case "help", "--help", "-h" -> {
                if (args.length > 1 && commands.containsKey(args[1])) {
                    out.print(commands.get(args[1]).help());
                } else if (args.length > 1) {
                    err.println("lanes: no command '" + args[1] + "'");
                    err.print(overview());
                    return USAGE;
                } else {
                    out.print(overview());
                }
                return OK;
            }
            default -> { }
        }
        Command c = commands.get(first);
        if (c == null) {
            err.println("lanes: unknown command '" + first + "'");
            err.print(overview());
            return USAGE;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            Args parsed = Args.parse(rest, c.valueOptions(), c.flags());
            if (parsed.has("--help")) {
                out.print(c.help());
                return OK;
            }
            return c.run(parsed, out, err);
        } catch (UsageException e) {
            err.println("lanes " + c.name() + ": " + e.getMessage());
            err.println("Try 'lanes " + c.name() + " --help'.");
            return USAGE;
        } catch (LanesException e) {
            err.println("lanes " + c.name() + ": " + e.getMessage());
            return FAILED;
        } catch (UncheckedIOException e) {
            err.println("lanes " + c.name() + ": " + e.getCause().getMessage());
            return FAILED;
        }
    }

    private String overview() {
        StringBuilder b = new StringBuilder();
        b.append("lanes ").append(Version.get())
                .append(": run convolutional networks from ONNX files (or plans compiled from"
                        + " them) on the JVM\n\n");
        b.append("usage: lanes COMMAND [ARGS...]\n\ncommands:\n");
        for (Command c : commands.values()) {
            b.append(String.format("  %-9s %s%n", c.name(), c.summary()));
        }
        b.append(String.format("  %-9s %s%n", "help", "this list; 'lanes help COMMAND' or"
                + " 'lanes COMMAND --help' for one command"));
        b.append("\noptions: --version prints the version\n");
        return b.toString();
    }
}
