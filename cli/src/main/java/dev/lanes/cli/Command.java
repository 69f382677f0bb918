package dev.lanes.cli;

import java.io.PrintStream;
import java.util.Set;

/** One subcommand of {@code lanes}. */
interface Command {
    /** The word that selects it, e.g. "run". */
    String name();

    /** One line for the command list. */
    String summary();

    /** The full help text: usage line, arguments, options. */
    String help();

    /** The options that take a value, with their dashes. */
    Set<String> valueOptions();

    /** The options that are flags, with their dashes. */
    Set<String> flags();

    /**
     * Runs the command; returns the exit code (0 success, 1 failure). Throws
     * {@link UsageException} for a command line it cannot use; errors of the model or data
     * propagate as {@link dev.lanes.errors.LanesException}.
     */
    int run(Args args, PrintStream out, PrintStream err) throws UsageException;
}
