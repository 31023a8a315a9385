package dev.mtlj.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.UserInputException;
import dev.mtlj.dist.DistSpec;
import dev.mtlj.engine.DType;
import dev.mtlj.engine.DeviceSpec;
import dev.mtlj.model.ModelSpec;
import dev.mtlj.train.TrainSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole run, as written in YAML. Every section has defaults; see the README's config reference.
 *
 * @param name     run name: output goes to {@code <output>/<name>/} (default {@code run})
 * @param seed     seed of data generation, initialisation, batch order and dropout (default 42)
 * @param device   auto | cpu | cuda | cuda:N (default auto)
 * @param dtype    float32 | float64 (default float32)
 * @param threads  libtorch intra-op threads, 0 = libtorch default (default 0)
 * @param output   root folder of run directories (default {@code runs})
 * @param data     data source
 * @param tasks    per-task overrides of loss and metrics
 * @param model    model spec
 * @param balancer the balancer's name and parameters (default ew)
 * @param train    training loop
 * @param sampler  task sampler for sampled training, or null for joint training
 * @param dist     data-parallel settings, used when a launcher starts several processes
 * @param tracking experiment tracking servers (default none; TensorBoard files are always written)
 */
public record RunConfig(
        @JsonProperty("name") String name,
        @JsonProperty("seed") Long seed,
        @JsonProperty("device") String device,
        @JsonProperty("dtype") String dtype,
        @JsonProperty("threads") Integer threads,
        @JsonProperty("output") String output,
        @JsonProperty("data") DataSpec data,
        @JsonProperty("tasks") Map<String, TaskOverride> tasks,
        @JsonProperty("model") ModelSpec model,
        @JsonProperty("balancer") Map<String, Object> balancer,
        @JsonProperty("train") TrainSpec train,
        @JsonProperty("sampler") Map<String, Object> sampler,
        @JsonProperty("dist") DistSpec dist,
        @JsonProperty("tracking") TrackingSpec tracking) {
    /** Fills in the defaults and checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public RunConfig {
        name = name == null ? "run" : name;
        seed = seed == null ? 42L : seed;
        device = device == null ? "auto" : device;
        dtype = dtype == null ? "float32" : dtype;
        threads = threads == null ? 0 : threads;
        output = output == null ? "runs" : output;
        if (data == null) {
            throw new UserInputException("data is required, e.g. data: {type: gradnorm-toy}");
        }
        tasks = tasks == null ? Map.of() : Map.copyOf(tasks);
        tasks.forEach((task, o) -> {
            if (o != null && o.batchSize() != null && o.batchSize() < 1) {
                throw new UserInputException("tasks." + task + ".batch_size must be >= 1, got " + o.batchSize());
            }
        });
        model = model == null ? ModelSpec.defaults() : model;
        balancer = balancer == null ? Map.of("type", "ew") : new LinkedHashMap<>(balancer);
        train = train == null ? TrainSpec.defaults() : train;
        sampler = sampler == null ? null : new LinkedHashMap<>(sampler);
        dist = dist == null ? DistSpec.defaults() : dist;
        tracking = tracking == null ? TrackingSpec.none() : tracking;
        if (sampler != null && !(sampler.get("type") instanceof String)) {
            throw new UserInputException("sampler.type is required (e.g. sampler: {type: temperature, temperature: 2});"
                    + " leave sampler out for joint training");
        }
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new UserInputException(
                    "name '" + name + "' is not valid; use letters, digits, '.', '_' or '-' (at most 100)");
        }
        if (threads < 0 || threads > 1024) {
            throw new UserInputException("threads must be in [0, 1024] (0 = libtorch default), got " + threads);
        }
        if (!(balancer.get("type") instanceof String)) {
            throw new UserInputException("balancer.type is required (e.g. balancer: {type: ew})");
        }
        DeviceSpec.parse(device); // validate now (fields are not assigned yet inside a compact constructor)
        DType.parse(dtype);
    }

    /** The parsed {@code device}. */
    public DeviceSpec deviceSpec() {
        return DeviceSpec.parse(device);
    }

    /** The parsed {@code dtype}. */
    public DType dtypeSpec() {
        return DType.parse(dtype);
    }

    /** Balancer parameters (the entry without {@code type}). */
    public Map<String, Object> balancerParams() {
        Map<String, Object> p = new LinkedHashMap<>(balancer);
        p.remove("type");
        return p;
    }

    /** Sampler parameters (the entry without {@code type} and {@code tasks_per_step}), or null for joint training. */
    public Map<String, Object> samplerParams() {
        if (sampler == null) {
            return null;
        }
        Map<String, Object> p = new LinkedHashMap<>(sampler);
        p.remove("type");
        p.remove("tasks_per_step");
        return p;
    }

    /** Tasks drawn per sampled step (sampler.tasks_per_step, default 1). */
    public int tasksPerStep() {
        Object v = sampler == null ? null : sampler.get("tasks_per_step");
        if (v == null) {
            return 1;
        }
        if (!(v instanceof Integer i) || i < 1) {
            throw new UserInputException("sampler.tasks_per_step must be an integer >= 1, got " + v);
        }
        return i;
    }

    /** The balancer's registry name. */
    public String balancerType() {
        return (String) balancer.get("type");
    }
}
