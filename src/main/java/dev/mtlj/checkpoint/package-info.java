/**
 * Internal. Checkpoint files: model, optimizer and trainer state in one libtorch archive, written atomically (temporary
 * file + rename), so a crash mid-write never leaves a broken checkpoint. Public for mtlj's own packages.
 */
package dev.mtlj.checkpoint;
