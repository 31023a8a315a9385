package dev.mtlj.run;

import com.google.protobuf.CodedOutputStream;
import dev.mtlj.train.Report;
import dev.mtlj.train.StepResult;
import dev.mtlj.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a run's metrics as TensorBoard event files ({@code runs/<name>/tensorboard/events.out.tfevents.*}), so
 * {@code tensorboard --logdir runs} shows them: per task {@code <split>/loss/<task>}, {@code <split>/weight/<task>}
 * (canonical scale) and {@code <split>/<metric>/<task>}; {@code train/lr}, {@code train/step_ms} (mean wall time per
 * step since the previous record) and, in sampled training, {@code train/sampling_probability/<task>}. Steps are the
 * 1-based steps done, as in {@code metrics.jsonl}.
 *
 * <p>The format is TensorFlow's record file: per record the length (uint64), its masked CRC-32C, an {@code Event}
 * protocol buffer and its masked CRC-32C. A resumed run starts a new file with a {@code SessionLog START} at the
 * resume step, so TensorBoard drops the earlier file's points after it. A write failure is logged once and the run
 * goes on without TensorBoard; training never stops for it.
 */
public final class TensorBoardEvents implements dev.mtlj.train.TrainingListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TensorBoardEvents.class);
    private static final int MASK_DELTA = 0xa282ead8;
    private final Path file;
    private OutputStream out;
    private long lastStepNanos;
    private long stepsSinceRecord;
    private long nanosSinceRecord;

    /** Opens a new event file in {@code dir} (created when missing). */
    public TensorBoardEvents(Path dir) throws IOException {
        Files.createDirectories(dir);
        // TensorBoard reads a folder's files in name order: seconds first, then a counter for files of one second
        String stem = "events.out.tfevents." + System.currentTimeMillis() / 1000 + "." + host() + "."
                + ProcessHandle.current().pid() + ".";
        Path f = null;
        OutputStream o = null;
        for (int n = 0; o == null; n++) {
            f = dir.resolve(stem + n);
            try {
                o = Files.newOutputStream(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException taken) {
                // a resume within the same second: the next counter
            }
        }
        this.file = f;
        this.out = o;
        write(event(0, e -> e.writeString(3, "brain.Event:2"))); // file_version
    }

    /** The event file being written. */
    public Path file() {
        return file;
    }

    @Override
    public void onStart(Trainer trainer) {
        long done = trainer.stepsDone();
        if (done > 0) { // SessionLog{status: START}: TensorBoard purges earlier points after this step
            write(event(done, e -> e.writeByteArray(6, message(s -> s.writeEnum(1, 1)))));
        }
        lastStepNanos = System.nanoTime();
    }

    @Override
    public void onStep(StepResult result) {
        long now = System.nanoTime();
        nanosSinceRecord += now - lastStepNanos;
        lastStepNanos = now;
        stepsSinceRecord++;
    }

    @Override
    public void onReport(Report r) {
        Map<String, Double> values = ScalarTags.of(r);
        if (r.split().equals("train")) {
            if (stepsSinceRecord > 0) {
                values.put("train/step_ms", nanosSinceRecord / 1e6 / stepsSinceRecord);
            }
            stepsSinceRecord = 0;
            nanosSinceRecord = 0;
        }
        write(event(r.step() + 1, e -> {
            ByteArrayOutputStream summary = new ByteArrayOutputStream();
            CodedOutputStream s = CodedOutputStream.newInstance(summary);
            for (Map.Entry<String, Double> v : values.entrySet()) {
                s.writeByteArray(
                        1,
                        message(
                                val -> { // Summary.Value{tag, simple_value}
                                    val.writeString(1, v.getKey());
                                    val.writeFloat(2, v.getValue().floatValue());
                                }));
            }
            s.flush();
            e.writeByteArray(5, summary.toByteArray());
        }));
    }

    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Fields fields) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream c = CodedOutputStream.newInstance(bytes);
            fields.write(c);
            c.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory: cannot happen
        }
    }

    /** Event{wall_time = 1, step = 2, ...}. */
    private static byte[] event(long step, Fields rest) {
        return message(e -> {
            e.writeDouble(1, System.currentTimeMillis() / 1000.0);
            e.writeInt64(2, step);
            rest.write(e);
        });
    }

    /** TensorFlow's masked CRC-32C: the CRC rotated right by 15 bits plus a constant. */
    static int maskedCrc(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    /** One record: length, masked CRC of the length, data, masked CRC of the data (all little-endian). */
    static byte[] record(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(data.length);
        b.putInt(maskedCrc(b.array(), 0, 8));
        b.put(data);
        b.putInt(maskedCrc(data, 0, data.length));
        return b.array();
    }

    private void write(byte[] event) {
        if (out == null) {
            return;
        }
        try {
            out.write(record(event));
            out.flush();
        } catch (IOException e) {
            LOG.warn("TensorBoard events: could not write {} ({}); the run goes on without them", file, e.getMessage());
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            out.close();
        } catch (IOException ignored) {
            // already failing; the warning above says so
        }
        out = null;
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
        } catch (IOException e) {
            return "localhost";
        }
    }
}
