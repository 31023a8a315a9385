package dev.mtlj.balance;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/** Named device tensors an aggregator owns across steps: replaced in place, retained, freed on close. */
final class DeviceState implements AutoCloseable {
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    /** The tensor stored under {@code name}, or null. Borrowed. */
    Tensor get(String name) {
        return tensors.get(name);
    }

    /** Stores a copy of {@code value} (detached) under {@code name}, freeing the previous one. */
    void put(String name, Tensor value) {
        Tensor copy;
        try (PointerScope scope = new PointerScope()) {
            copy = value.detach().clone().retainReference();
        }
        Tensor old = tensors.put(name, copy);
        if (old != null) {
            old.close();
        }
    }

    Map<String, Tensor> view() {
        return java.util.Collections.unmodifiableMap(tensors);
    }

    void load(Map<String, Tensor> from) {
        from.forEach(this::put);
    }

    @Override
    public void close() {
        tensors.values().forEach(Tensor::close);
        tensors.clear();
    }
}
