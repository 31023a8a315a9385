package dev.mtlj.engine;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Copies between tensors and Java arrays. Temporaries land in the caller's PointerScope. */
public final class Tensors {
    private Tensors() {}

    /** All elements, row-major, as float (copies to the host; synchronises with the device). */
    public static float[] toFloats(Tensor t) {
        Tensor host = t.detach().to(Engine.device(DeviceSpec.parse("cpu")), torch.ScalarType.Float).contiguous();
        float[] out = new float[(int) host.numel()];
        host.data_ptr_float().get(out);
        return out;
    }

    /** All elements, row-major, as double (copies to the host; synchronises with the device). */
    public static double[] toDoubles(Tensor t) {
        Tensor host = t.detach().to(Engine.device(DeviceSpec.parse("cpu")), torch.ScalarType.Double).contiguous();
        double[] out = new double[(int) host.numel()];
        host.data_ptr_double().get(out);
        return out;
    }

    /** A 1-D tensor of {@code values} on {@code device} with {@code dtype}. */
    public static Tensor vector(double[] values, Device device, torch.ScalarType dtype) {
        return Tensor.create(values, values.length).to(device, dtype);
    }
}
