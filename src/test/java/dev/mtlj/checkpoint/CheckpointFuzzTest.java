package dev.mtlj.checkpoint;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mtlj.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the checkpoint reader: any file is a readable checkpoint or a {@link UserInputException} naming it — never a
 * native abort, another exception or a hang. The seal is checked before libtorch parses a byte, so mutations of a real
 * checkpoint (the seed {@code CheckpointFuzzTestInputs/anyFileIsReadOrRefused/sealed.ckpt}) must be refused by name.
 */
class CheckpointFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void anyFileIsReadOrRefused(byte[] input) throws IOException {
        Path f = Files.createTempFile("mtlj-fuzz", ".ckpt");
        try {
            Files.write(f, input);
            CheckpointFile.readState(f);
        } catch (UserInputException expected) {
            // damaged or foreign, named
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
