package dev.mtlj.serve;

/**
 * The text of an error reply: bounded, so that a request cannot make the server echo megabytes of its own input back (a
 * 10 MB input name once gave a 10 MB reply), and one line.
 */
public final class ErrorText {
    /** Longest error text sent to a client. */
    public static final int MAX_CHARS = 1000;

    private ErrorText() {}

    /** {@code message} on one line, cut to {@link #MAX_CHARS} with a note saying so. */
    public static String bounded(String message) {
        String m = message == null ? "" : message.replace('\n', ' ').replace('\r', ' ');
        return m.length() <= MAX_CHARS ? m : m.substring(0, MAX_CHARS) + "… (cut at " + MAX_CHARS + " characters)";
    }
}
