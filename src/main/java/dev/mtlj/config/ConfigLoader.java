package dev.mtlj.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mtlj.DidYouMean;
import dev.mtlj.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads a YAML run config, applies {@code --set key=value} overrides, and binds it to {@link RunConfig}.
 * Every mistake becomes a {@link UserInputException} naming the key, the value and what is allowed, before any
 * training starts.
 */
public final class ConfigLoader {
    private static final YAMLMapper YAML = YAMLMapper.builder(new YAMLFactory()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .disable(YAMLGenerator.Feature.USE_NATIVE_TYPE_ID)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Longest config accepted, in characters (a run config is a few hundred). */
    static final int MAX_CONFIG_CHARS = 1 << 20;

    private ConfigLoader() {}

    /** Loads {@code file} and applies the overrides in order. */
    public static RunConfig load(Path file, List<String> overrides) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("config file '" + file + "' does not exist or is not a file");
        }
        String text;
        try {
            if (Files.size(file) > MAX_CONFIG_CHARS * 4L) {
                throw new UserInputException("config file '" + file + "' is " + Files.size(file) + " bytes; a config"
                        + " may hold at most " + MAX_CONFIG_CHARS + " characters");
            }
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UserInputException("config file '" + file + "' cannot be read: " + e.getMessage());
        }
        return parse(text, file.toString(), overrides);
    }

    /** Parses YAML text ({@code source} names it in messages) and applies the overrides. */
    public static RunConfig parse(String yaml, String source, List<String> overrides) {
        if (yaml.length() > MAX_CONFIG_CHARS) {
            throw new UserInputException("config '" + source + "' holds " + yaml.length() + " characters; a config may"
                    + " hold at most " + MAX_CONFIG_CHARS);
        }
        JsonNode root;
        try {
            root = YAML.readTree(YamlAliases.expand(yaml, source));
        } catch (JsonProcessingException e) {
            java.util.regex.Matcher dup = java.util.regex.Pattern.compile("Duplicate field '([^']*)'")
                    .matcher(String.valueOf(e.getOriginalMessage()));
            if (dup.find()) { // the last would silently win; say which key, where
                throw new UserInputException("config '" + source + "' sets key '" + dup.group(1) + "' twice in one"
                        + " mapping"
                        + (e.getLocation() == null
                                ? ""
                                : " (second time at line " + e.getLocation().getLineNr() + ")") + "; keep one");
            }
            throw new UserInputException("config '" + source + "' is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null
                            ? ""
                            : " (line " + e.getLocation().getLineNr() + ")"));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = JsonNodeFactory.instance.objectNode();
        }
        if (!root.isObject()) {
            throw new UserInputException("config '" + source + "' must be a YAML mapping of keys to values");
        }
        for (String o : overrides) {
            applyOverride((ObjectNode) root, o);
        }
        return bind(root, source, overrides);
    }

    /** Binds a JSON/YAML tree (e.g. the config stored in a checkpoint). */
    public static RunConfig bind(JsonNode root, String source) {
        return bind(root, source, List.of());
    }

    /** Binds; a problem at a key an override set is attributed to that {@code --set}, not to {@code source}. */
    private static RunConfig bind(JsonNode root, String source, List<String> overrides) {
        try {
            return bindTree(root, source);
        } catch (UserInputException e) {
            for (String o : overrides) {
                String key = o.contains("=") ? o.substring(0, o.indexOf('=')).trim() : o;
                if (e.getMessage().contains("'" + key + "'") || e.getMessage().contains("'" + key + ".")) {
                    throw new UserInputException(e.getMessage()
                            .replace(" in " + source, " in --set " + o)
                            .replace("(in " + source + ")", "(in --set " + o + ")"));
                }
            }
            throw e;
        }
    }

    private static RunConfig bindTree(JsonNode root, String source) {
        try {
            return YAML.treeToValue(root, RunConfig.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null
                    ? ""
                    : e.getKnownPropertyIds().stream()
                            .map(String::valueOf)
                            .collect(Collectors.toCollection(TreeSet::new))
                            .stream()
                            .collect(Collectors.joining(", "));
            String guess = e.getKnownPropertyIds() == null
                    ? null
                    : DidYouMean.closest(
                            String.valueOf(e.getPropertyName()),
                            e.getKnownPropertyIds().stream()
                                    .map(String::valueOf)
                                    .toList());
            throw new UserInputException("unknown key '" + path(e) + "' in " + source
                    + (guess == null ? "" : "; did you mean '" + guess + "'?") + "; allowed here: " + known);
        } catch (InvalidTypeIdException e) {
            if (e.getTypeId() == null) {
                throw new UserInputException(
                        path(e) + " in " + source + " needs a 'type'; allowed: " + allowedTypes(e));
            }
            throw new UserInputException(path(e) + ".type '" + e.getTypeId() + "' in " + source + " is not valid"
                    + DidYouMean.hint(e.getTypeId(), List.of(allowedTypes(e).split(", "))) + "; allowed: "
                    + allowedTypes(e));
        } catch (ValueInstantiationException e) {
            Throwable c = e.getCause();
            if (c instanceof UserInputException u) {
                throw new UserInputException(u.getMessage() + " (in " + source + ")");
            }
            throw new UserInputException(
                    "invalid value at '" + path(e) + "' in " + source + ": " + e.getOriginalMessage());
        } catch (MismatchedInputException e) {
            String expected = e.getTargetType() == null ? "another type" : describe(e.getTargetType());
            throw new UserInputException(
                    "bad value for '" + path(e) + "' in " + source + ": expected " + expected + valueText(root, e));
        } catch (JsonProcessingException e) {
            throw new UserInputException(
                    "config " + source + " is invalid at '" + pathOrRoot(e) + "': " + e.getOriginalMessage());
        }
    }

    /** The resolved config as YAML (what the run directory stores). */
    public static String toYaml(RunConfig config) {
        try {
            return YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The resolved config as compact JSON (what checkpoints store). */
    public static String toJson(RunConfig config) {
        try {
            return JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses the JSON written by {@link #toJson}. */
    public static RunConfig fromJson(String json, String source) {
        try {
            return bind(JSON.readTree(json), source);
        } catch (JsonProcessingException e) {
            throw new UserInputException(source + " holds no readable config: " + e.getOriginalMessage());
        }
    }

    static void applyOverride(ObjectNode root, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new UserInputException("--set '" + override + "' must look like key=value, e.g. train.steps=500");
        }
        String key = override.substring(0, eq).trim();
        String value = override.substring(eq + 1);
        if (!key.matches("[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*)*")) {
            throw new UserInputException("--set key '" + key + "' is not a dotted key like train.optimizer.lr");
        }
        JsonNode parsed;
        try {
            parsed = value.isEmpty() ? JsonNodeFactory.instance.nullNode() : YAML.readTree(value);
        } catch (JsonProcessingException e) {
            throw new UserInputException(
                    "--set " + key + ": value '" + value + "' is not valid YAML: " + e.getOriginalMessage());
        }
        String[] parts = key.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || child.isNull()) {
                child = node.putObject(parts[i]);
            } else if (!child.isObject()) {
                throw new UserInputException("--set " + key + ": '"
                        + String.join(".", java.util.Arrays.copyOf(parts, i + 1)) + "' is a value, not a section");
            }
            node = (ObjectNode) child;
        }
        node.set(parts[parts.length - 1], parsed == null ? JsonNodeFactory.instance.nullNode() : parsed);
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String pathOrRoot(JsonProcessingException e) {
        return e instanceof JsonMappingException m && !m.getPath().isEmpty() ? path(m) : "(top level)";
    }

    private static String valueText(JsonNode root, JsonMappingException e) {
        JsonNode n = root;
        for (JsonMappingException.Reference r : e.getPath()) {
            if (n == null) {
                break;
            }
            n = r.getFieldName() != null ? n.get(r.getFieldName()) : n.get(r.getIndex());
        }
        return n == null ? "" : ", got " + (n.isTextual() ? "'" + n.asText() + "'" : n.toString());
    }

    private static String describe(Class<?> type) {
        if (type == Long.class || type == Integer.class || type == long.class || type == int.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord() || type.isInterface()) {
            return "a mapping";
        }
        return type.getSimpleName();
    }

    private static String allowedTypes(InvalidTypeIdException e) {
        com.fasterxml.jackson.annotation.JsonSubTypes sub = e.getBaseType() == null
                ? null
                : e.getBaseType().getRawClass().getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class);
        if (sub == null) {
            return "(see the README)";
        }
        return java.util.Arrays.stream(sub.value())
                .map(com.fasterxml.jackson.annotation.JsonSubTypes.Type::name)
                .collect(Collectors.joining(", "));
    }
}
