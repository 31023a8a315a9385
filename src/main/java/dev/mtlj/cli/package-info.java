/** Internal. The {@code mtlj} command line (picocli): exit 0 success, 1 internal error, 2 bad input. */
package dev.mtlj.cli;
