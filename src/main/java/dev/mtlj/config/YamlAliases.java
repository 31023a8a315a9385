package dev.mtlj.config;

import dev.mtlj.UserInputException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.emitter.Emitter;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;

/**
 * Resolves YAML anchors and aliases ({@code steps: &n 5} … {@code eval_every: *n}), which Jackson's tree reader turns
 * into the alias's name. Works on SnakeYAML's parse events: each alias is replaced by a copy of its anchored node's
 * events, and the result is written back as YAML with the original scalar styles, so Jackson then reads the very same
 * scalars. A document without aliases is returned unchanged. Expansion is bounded (a "billion laughs" document is
 * refused, not expanded).
 */
final class YamlAliases {
    /** Most events an expanded document may hold. */
    static final int MAX_EVENTS = 100_000;

    private YamlAliases() {}

    /** {@code yaml} with every alias replaced by its anchored value; {@code source} names it in messages. */
    static String expand(String yaml, String source) {
        List<Event> events = new ArrayList<>();
        boolean aliases = false;
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(ConfigLoader.MAX_CONFIG_CHARS + 1);
        try {
            for (Event e : new Yaml(options).parse(new StringReader(yaml))) {
                events.add(e);
                aliases |= e instanceof AliasEvent;
            }
        } catch (YAMLException e) {
            return yaml; // Jackson reports the syntax error with its line
        }
        if (!aliases) {
            return yaml;
        }
        List<Event> out = new ArrayList<>();
        Map<String, List<Event>> anchors = new HashMap<>();
        Deque<Recording> open = new ArrayDeque<>();
        for (Event e : events) {
            List<Event> emitted;
            if (e instanceof AliasEvent a) {
                emitted = anchors.get(a.getAnchor());
                if (emitted == null) {
                    throw new UserInputException("config '" + source + "' uses alias *" + a.getAnchor() + " before"
                            + " (or without) its anchor &" + a.getAnchor());
                }
            } else {
                emitted = List.of(withoutAnchor(e));
            }
            out.addAll(emitted);
            if (out.size() > MAX_EVENTS) {
                throw new UserInputException("config '" + source + "' expands its aliases to more than " + MAX_EVENTS
                        + " YAML nodes; write it without nested aliases");
            }
            for (Recording r : open) {
                r.events.addAll(emitted);
            }
            if (e instanceof NodeEvent n && !(e instanceof AliasEvent) && n.getAnchor() != null) {
                Recording r = new Recording(n.getAnchor());
                r.events.addAll(emitted);
                open.push(r);
            }
            if (e instanceof CollectionStartEvent) {
                open.forEach(r -> r.depth++);
            } else if (e instanceof CollectionEndEvent) {
                open.forEach(r -> r.depth--);
            }
            while (!open.isEmpty() && open.peek().depth == 0) {
                Recording done = open.pop();
                anchors.put(done.anchor, done.events);
            }
        }
        StringWriter text = new StringWriter();
        try {
            Emitter emitter = new Emitter(text, new DumperOptions());
            for (Event e : out) {
                emitter.emit(e);
            }
        } catch (java.io.IOException | YAMLException e) {
            throw new UserInputException("config '" + source + "' could not be expanded: " + e.getMessage(), e);
        }
        return text.toString();
    }

    private static Event withoutAnchor(Event e) {
        if (e instanceof ScalarEvent s && s.getAnchor() != null) {
            return new ScalarEvent(
                    null,
                    s.getTag(),
                    s.getImplicit(),
                    s.getValue(),
                    s.getStartMark(),
                    s.getEndMark(),
                    s.getScalarStyle());
        }
        if (e instanceof MappingStartEvent m && m.getAnchor() != null) {
            return new MappingStartEvent(
                    null, m.getTag(), m.getImplicit(), m.getStartMark(), m.getEndMark(), m.getFlowStyle());
        }
        if (e instanceof SequenceStartEvent q && q.getAnchor() != null) {
            return new SequenceStartEvent(
                    null, q.getTag(), q.getImplicit(), q.getStartMark(), q.getEndMark(), q.getFlowStyle());
        }
        return e;
    }

    /** The events of an anchored node while they are read. */
    private static final class Recording {
        final String anchor;
        final List<Event> events = new ArrayList<>();
        int depth;

        Recording(String anchor) {
            this.anchor = anchor;
        }
    }
}
