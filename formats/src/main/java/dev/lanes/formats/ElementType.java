package dev.lanes.formats;

import dev.lanes.errors.ModelFormatException;

/**
 * ONNX tensor element types that Lanes can read, with their ONNX code and size in bytes as stored
 * in {@code raw_data}. How the values are held in memory is decided by {@link TensorData}.
 */
public enum ElementType {
    FLOAT(1, 4),
    UINT8(2, 1),
    INT8(3, 1),
    UINT16(4, 2),
    INT16(5, 2),
    INT32(6, 4),
    INT64(7, 8),
    STRING(8, 0),
    BOOL(9, 1),
    FLOAT16(10, 2),
    DOUBLE(11, 8),
    UINT32(12, 4),
    UINT64(13, 8),
    BFLOAT16(16, 2);

    private final int onnxCode;
    private final int rawBytes;

    ElementType(int onnxCode, int rawBytes) {
        this.onnxCode = onnxCode;
        this.rawBytes = rawBytes;
    }

    /** The {@code TensorProto.DataType} number of this type. */
    public int onnxCode() {
        return onnxCode;
    }

    /** Bytes per element in {@code raw_data} (0 for strings, which have no fixed size). */
    public int rawBytes() {
        return rawBytes;
    }

    /** True for the types whose values are held as {@code float[]} (float, float16, bfloat16). */
    public boolean isFloatingPoint32() {
        return this == FLOAT || this == FLOAT16 || this == BFLOAT16;
    }

    /** True for the integer and boolean types, held as {@code long[]}. */
    public boolean isIntegral() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, INT32, INT64, BOOL, UINT32, UINT64 -> true;
            default -> false;
        };
    }

    /** The type with the given ONNX code; {@code where} names the tensor or value for the error. */
    public static ElementType fromOnnx(int code, String where) {
        for (ElementType t : values()) {
            if (t.onnxCode == code) {
                return t;
            }
        }
        throw new ModelFormatException(where + ": unsupported ONNX element type " + code
                + " (" + onnxName(code) + ")");
    }

    /** The ONNX name of a type code, for messages; works for codes Lanes does not support. */
    public static String onnxName(int code) {
        return switch (code) {
            case 0 -> "UNDEFINED";
            case 1 -> "FLOAT";
            case 2 -> "UINT8";
            case 3 -> "INT8";
            case 4 -> "UINT16";
            case 5 -> "INT16";
            case 6 -> "INT32";
            case 7 -> "INT64";
            case 8 -> "STRING";
            case 9 -> "BOOL";
            case 10 -> "FLOAT16";
            case 11 -> "DOUBLE";
            case 12 -> "UINT32";
            case 13 -> "UINT64";
            case 14 -> "COMPLEX64";
            case 15 -> "COMPLEX128";
            case 16 -> "BFLOAT16";
            case 17 -> "FLOAT8E4M3FN";
            case 18 -> "FLOAT8E4M3FNUZ";
            case 19 -> "FLOAT8E5M2";
            case 20 -> "FLOAT8E5M2FNUZ";
            case 21 -> "UINT4";
            case 22 -> "INT4";
            case 23 -> "FLOAT4E2M1";
            default -> "code " + code;
        };
    }
}
