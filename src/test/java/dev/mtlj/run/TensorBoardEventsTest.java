package dev.mtlj.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.mtlj.train.Report;
import dev.mtlj.train.TaskReport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TensorBoard event files, read back by an independent parser here: TensorFlow's record framing with its masked
 * CRC-32C, and the Event / Summary protocol buffers decoded field by field from the wire format
 * (tensorflow/core/util/event.proto: Event{wall_time 1, step 2, file_version 3, summary 5, session_log 6};
 * summary.proto: Summary{value 1}, Value{tag 1, simple_value 2}). A script outside CI reads them with TensorBoard
 * itself (benchmarks/tensorboard-check).
 */
class TensorBoardEventsTest {
    /** One decoded event: its step, file_version, session_log status, and scalars by tag. */
    record Event(long step, String fileVersion, int sessionStatus, Map<String, Float> scalars) {}

    @Test
    void maskedCrcOfTheStandardCheckString() {
        // CRC-32C("123456789") = 0xE3069283 (the standard check value); masked: rotate right 15, add 0xa282ead8
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(TensorBoardEvents.maskedCrc(check, 0, check.length)).isEqualTo(0xc78ab0e5);
    }

    @Test
    void reportsBecomeScalarsAtTheStepsDone(@TempDir Path dir) throws Exception {
        Path file;
        try (TensorBoardEvents tb = new TensorBoardEvents(dir.resolve("tensorboard"))) {
            file = tb.file();
            Map<String, TaskReport> tasks = new LinkedHashMap<>();
            tasks.put("y1", new TaskReport(0.5, 1.25, Map.of("mae", 0.4)));
            tasks.put("cls", new TaskReport(Double.NaN, 0.75, Map.of("accuracy", 0.625)));
            tb.onReport(new Report(49, "train", 3e-3, tasks));
            tb.onReport(new Report(99, "val", 3e-3, tasks));
        }
        assertThat(file.getFileName().toString()).startsWith("events.out.tfevents.");
        List<Event> events = read(file);
        assertThat(events).hasSize(3);
        assertThat(events.get(0).fileVersion()).isEqualTo("brain.Event:2");
        Event train = events.get(1);
        assertThat(train.step()).isEqualTo(50); // 1-based steps done, as metrics.jsonl
        assertThat(train.scalars())
                .containsEntry("train/loss/y1", 0.5f)
                .containsEntry("train/weight/y1", 1.25f)
                .containsEntry("train/mae/y1", 0.4f)
                .containsEntry("train/weight/cls", 0.75f)
                .containsEntry("train/accuracy/cls", 0.625f)
                .doesNotContainKey("train/loss/cls"); // NaN is left out, as metrics.jsonl writes null
        assertThat(train.scalars().get("train/lr")).isCloseTo(3e-3f, within(1e-9f));
        assertThat(events.get(2).step()).isEqualTo(100);
        assertThat(events.get(2).scalars()).containsEntry("val/loss/y1", 0.5f).doesNotContainKey("val/lr");
    }

    /** A real run writes one file; resuming it writes a second that starts with SessionLog START at the resume step. */
    @Test
    void aRunAndItsResumeWriteEventFiles(@TempDir Path dir) throws Exception {
        Run.Result r = Run.train(Quickstart.config(
                List.of("device=cpu", "train.steps=20", "train.log_every=10", "train.eval_every=10", "output=" + dir)));
        Path tb = r.dir().resolve("tensorboard");
        List<Event> first = read(only(tb));
        // file_version, train records after steps 10 and 20, validations at 10 and 20, the final test
        assertThat(first).extracting(Event::step).containsExactly(0L, 10L, 10L, 20L, 20L, 20L);
        assertThat(first.get(1).scalars())
                .containsKeys("train/loss/y1", "train/weight/cls", "train/lr", "train/step_ms");
        assertThat(first.get(1).scalars().get("train/step_ms")).isPositive();
        assertThat(first.get(2).scalars()).containsKeys("val/loss/y3", "val/accuracy/cls");
        assertThat(first.get(5).scalars()).containsKeys("test/loss/y2");

        Run.train(
                Quickstart.config(List.of("device=cpu", "train.steps=30", "train.log_every=10", "train.eval_every=10")),
                RunOptions.defaults().withResume(r.dir()));
        try (Stream<Path> files = Files.list(tb)) {
            List<Path> all = files.sorted().toList();
            assertThat(all).hasSize(2);
            Event start = read(all.stream()
                            .filter(f -> !f.equals(only(tb, all)))
                            .findFirst()
                            .orElseThrow())
                    .get(1);
            assertThat(start.step()).isEqualTo(20);
            assertThat(start.sessionStatus()).isEqualTo(1); // SessionLog.START
        }
    }

    private static Path only(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    /** The first run's file among {@code all}: the one whose second event is not a SessionLog. */
    private static Path only(Path dir, List<Path> all) {
        return all.stream()
                .filter(f -> {
                    try {
                        return read(f).get(1).sessionStatus() == 0;
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .findFirst()
                .orElseThrow();
    }

    /** Parses a record file, checking both masked CRCs of every record. */
    static List<Event> read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<Event> events = new ArrayList<>();
        while (b.hasRemaining()) {
            int at = b.position();
            long length = b.getLong();
            assertThat(b.getInt()).as("length CRC").isEqualTo(TensorBoardEvents.maskedCrc(b.array(), at, 8));
            byte[] data = new byte[(int) length];
            b.get(data);
            assertThat(b.getInt()).as("data CRC").isEqualTo(TensorBoardEvents.maskedCrc(data, 0, data.length));
            events.add(event(data));
        }
        return events;
    }

    private static Event event(byte[] data) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(data);
        long step = 0;
        String version = null;
        int status = 0;
        Map<String, Float> scalars = new LinkedHashMap<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> in.readDouble();
                case 2 -> step = in.readInt64();
                case 3 -> version = in.readString();
                case 5 -> {
                    CodedInputStream summary = CodedInputStream.newInstance(in.readByteArray());
                    for (int t = summary.readTag(); t != 0; t = summary.readTag()) {
                        CodedInputStream value = CodedInputStream.newInstance(summary.readByteArray());
                        String name = null;
                        float v = Float.NaN;
                        for (int f = value.readTag(); f != 0; f = value.readTag()) {
                            if (WireFormat.getTagFieldNumber(f) == 1) {
                                name = value.readString();
                            } else {
                                v = value.readFloat();
                            }
                        }
                        scalars.put(name, v);
                    }
                }
                case 6 -> {
                    CodedInputStream log = CodedInputStream.newInstance(in.readByteArray());
                    for (int t = log.readTag(); t != 0; t = log.readTag()) {
                        status = log.readEnum();
                    }
                }
                default -> in.skipField(tag);
            }
        }
        return new Event(step, version, status, scalars);
    }
}
