/**
 * Checkpoint files: model, optimizer and trainer state in one libtorch archive, written atomically
 * (temporary file + rename), so a crash mid-write never leaves a broken checkpoint.
 */
package dev.mtlj.checkpoint;
