package dev.lanes.compiler.ir;

import dev.lanes.runtime.Tensor;

/**
 * One node attribute, converted from the model file. The value is a {@code Long} (INT),
 * {@code Float} (FLOAT), {@code String} (STRING), {@code long[]} (INTS), {@code float[]}
 * (FLOATS), {@code String[]} (STRINGS), {@link Tensor} (TENSOR), or null for kinds Lanes does
 * not read (graphs, sparse tensors), whose {@code kind} is still recorded.
 *
 * @param name  the attribute's name
 * @param kind  the ONNX attribute type name (INT, FLOATS, ...)
 * @param value the converted value
 */
public record Attribute(String name, String kind, Object value) {
}
