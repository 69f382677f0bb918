package dev.lanes.runtime.plan;

import dev.lanes.runtime.Kernel;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How one kernel class is saved in a plan file and rebuilt from it: a stable id (such as
 * {@code "conv.winograd_f4x4_3x3"}; never the class name, so classes can be renamed), a writer
 * of the kernel's parameters and a factory that rebuilds the kernel from them with runtime code
 * alone. The writer and factory are usually two small methods of the kernel class itself
 * ({@code writeParams} and {@code readParams}), listed by its package's {@code *Codecs} class.
 *
 * @param id     the kernel id written in {@code Step.kernel}
 * @param type   the exact kernel class
 * @param writer writes a kernel's parameters
 * @param reader rebuilds a kernel from its parameters
 * @param <K>    the kernel class
 */
public record KernelCodec<K extends Kernel>(String id, Class<K> type,
        BiConsumer<K, ParamWriter> writer, Function<ParamReader, K> reader) {

    /** A codec from a writer and a factory. */
    public static <K extends Kernel> KernelCodec<K> of(String id, Class<K> type,
            BiConsumer<K, ParamWriter> writer, Function<ParamReader, K> reader) {
        return new KernelCodec<>(id, type, writer, reader);
    }

    /** A codec of a kernel class without parameters. */
    public static <K extends Kernel> KernelCodec<K> stateless(String id, Class<K> type,
            Supplier<K> make) {
        return new KernelCodec<>(id, type, (k, w) -> { }, r -> make.get());
    }

    /** Writes the parameters of {@code kernel}, which must be of {@link #type()}. */
    void write(Kernel kernel, ParamWriter out) {
        writer.accept(type.cast(kernel), out);
    }

    /** Rebuilds a kernel. */
    Kernel read(ParamReader in) {
        return reader.apply(in);
    }
}
