package dev.mtlj.cli;

import ch.qos.logback.classic.Level;
import dev.mtlj.UserInputException;
import dev.mtlj.dist.RankFailedException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ./mtlj}. Exit codes: 0 success, 1 internal error, 2 bad input (usage, config, files), 3 a lost
 * rank, 143 stopped by SIGTERM with a checkpoint.
 */
@Command(
        name = "mtlj",
        mixinStandardHelpOptions = true,
        version = "mtlj 0.2.0-SNAPSHOT",
        description = "Multi-task learning on libtorch: train, evaluate, inspect and serve multi-head models.",
        subcommands = {
            QuickstartCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            AggregateCommand.class,
            InfoCommand.class,
            ReproduceCommand.class,
            ServeCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements java.util.concurrent.Callable<Integer> {
    /** Exit code of a user error (bad input, config or file). */
    public static final int USER_ERROR = 2;
    /** A data-parallel run lost a rank (it died, hung or was unreachable), or the ranks drifted apart. */
    public static final int RANK_FAILED = 3;
    /** 128 + SIGTERM: training stopped by a signal after writing its checkpoint (the shell's code for the signal). */
    public static final int EXIT_SIGTERM = 143;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(
            names = "--verbose",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Log more: mtlj at DEBUG and the libraries it uses (Undertow, gRPC, ...) at INFO.")
    void verbose(boolean on) {
        if (on) {
            level(Logger.ROOT_LOGGER_NAME, Level.DEBUG);
            for (String lib : new String[] {"io.undertow", "org.xnio", "org.jboss", "io.grpc", "io.netty"}) {
                level(lib, Level.INFO);
            }
            level("org.ojalgo", Level.INFO);
        }
    }

    /** {@code mtlj} alone: the usage, and exit 2 (a command is required). */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USER_ERROR;
    }

    /** Runs the CLI and exits with its code. */
    public static void main(String[] args) {
        dev.mtlj.engine.Natives.prepare();
        System.exit(execute(
                args,
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true)));
    }

    /** Runs the CLI with the given streams and returns the exit code (tests call this). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out).setErr(err);
        cli.setUsageHelpAutoWidth(true); // wrap help to the terminal instead of cutting at 80 columns
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Throwable cause = e;
            while (!(cause instanceof UserInputException || cause instanceof RankFailedException)
                    && cause.getCause() != null
                    && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            if (cause instanceof UserInputException u) {
                cmd.getErr().println("error: " + u.getMessage());
                return USER_ERROR;
            }
            if (cause instanceof RankFailedException r) {
                cmd.getErr().println("error: " + r.getMessage());
                return RANK_FAILED;
            }
            cmd.getErr().println("internal error (please report): " + e);
            e.printStackTrace(cmd.getErr());
            return 1;
        });
        if (args.length > 0 && !args[0].startsWith("-") && !cli.getSubcommands().containsKey(args[0])) {
            // picocli would print the top-level help for "mtlj pareto --help" and exit 0
            err.println("error: unknown command '" + args[0] + "'"
                    + dev.mtlj.DidYouMean.hint(args[0], cli.getSubcommands().keySet()) + "; commands: "
                    + String.join(", ", cli.getSubcommands().keySet()));
            return USER_ERROR;
        }
        return cli.execute(args);
    }

    /** Sets the console log level: quiet shows warnings and errors only. */
    static void quiet(boolean quiet) {
        if (quiet) {
            level(Logger.ROOT_LOGGER_NAME, Level.WARN);
        }
    }

    private static void level(String logger, Level level) {
        if (LoggerFactory.getLogger(logger) instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(level);
        }
    }

    /** Whether to draw a progress bar: not when quiet, in CI, on a dumb terminal, or without a console. */
    @SuppressWarnings("SystemConsoleNull") // Java 17: null exactly when stdin and stdout are not both a terminal
    static boolean progress(boolean quiet) {
        return !quiet
                && System.getenv("CI") == null
                && !"dumb".equals(System.getenv("TERM"))
                && System.console() != null;
    }
}
