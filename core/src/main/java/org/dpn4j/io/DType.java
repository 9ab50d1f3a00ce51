package org.dpn4j.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Element types of weight files, named as safetensors names them. TFLite's {@code TensorType} maps
 * onto the same constants; the types at the end exist only in TFLite and have no safetensors name.
 * All data is little-endian.
 */
public enum DType {
  F64(64),
  F32(32),
  F16(16),
  BF16(16),
  /** 8-bit float, 4 exponent bits (bias 7), 3 mantissa bits, no infinities (OCP "E4M3FN"). */
  F8_E4M3(8),
  /** 8-bit float, 5 exponent bits (bias 15), 2 mantissa bits: the top byte of an F16. */
  F8_E5M2(8),
  I64(64),
  I32(32),
  I16(16),
  I8(8),
  U64(64),
  U32(32),
  U16(16),
  U8(8),
  BOOL(8),
  // TFLite only:
  C64(64),
  C128(128),
  /** Two 4-bit integers per byte (TFLite INT4); sizes are rounded up to whole bytes. */
  I4(4),
  /** Variable-length elements (TFLite STRING, RESOURCE, VARIANT): no fixed byte size. */
  STRING(0),
  RESOURCE(0),
  VARIANT(0);

  private final int bits;

  DType(int bits) {
    this.bits = bits;
  }

  /** Whether safetensors files may use this type. */
  public boolean inSafetensors() {
    return ordinal() <= BOOL.ordinal();
  }

  /** Whether elements have a fixed size, so that a shape fixes the byte size. */
  public boolean fixedSize() {
    return bits > 0;
  }

  /** Bytes taken by {@code elements} values (rounded up for 4-bit types); only for fixed sizes. */
  public long byteSize(long elements) {
    if (!fixedSize()) {
      throw new UnsupportedOperationException(this + " has no fixed element size");
    }
    return Math.addExact(Math.multiplyExact(elements, bits), 7) / 8;
  }

  /** Whether {@link #get} gives the element's value (real types, integers and bool). */
  public boolean numeric() {
    return this != C64 && this != C128 && this != I4 && fixedSize();
  }

  /**
   * Element {@code i} of little-endian data as a double: exact for every type except U64 values
   * above 2^53 (and I64 ones beyond +-2^53).
   */
  public double get(ByteBuffer data, int i) {
    ByteBuffer b = data.order() == ByteOrder.LITTLE_ENDIAN ? data : data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int at = b.position() + i * (bits / 8);
    switch (this) {
      case F64: return b.getDouble(at);
      case F32: return b.getFloat(at);
      case F16: return Half.toFloat(b.getShort(at));
      case BF16: return Float.intBitsToFloat((b.getShort(at) & 0xffff) << 16);
      case F8_E4M3: return e4m3ToFloat(b.get(at));
      case F8_E5M2: return Half.toFloat((short) ((b.get(at) & 0xff) << 8));
      case I64: return b.getLong(at);
      case I32: return b.getInt(at);
      case I16: return b.getShort(at);
      case I8: return b.get(at);
      case U64: return unsignedLongToDouble(b.getLong(at));
      case U32: return b.getInt(at) & 0xffffffffL;
      case U16: return b.getShort(at) & 0xffff;
      case U8: return b.get(at) & 0xff;
      case BOOL: return b.get(at) != 0 ? 1 : 0;
      default: throw new UnsupportedOperationException("no numeric conversion for " + this);
    }
  }

  /** The first {@code n} elements of little-endian data as floats (F32 copied in bulk). */
  public float[] toFloats(ByteBuffer data, int n) {
    float[] out = new float[n];
    if (this == F32) {
      data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
      return out;
    }
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      out[i] = (float) get(b, i);
    }
    return out;
  }

  private static float e4m3ToFloat(byte v) {
    int exp = (v >>> 3) & 0xf;
    int mant = v & 0x7;
    float magnitude;
    if (exp == 0xf && mant == 0x7) {
      magnitude = Float.NaN;
    } else if (exp == 0) {
      magnitude = mant * 0x1p-9f; // subnormal: mant/8 * 2^-6
    } else {
      magnitude = (1 + mant / 8f) * (float) Math.scalb(1.0, exp - 7);
    }
    return (v & 0x80) != 0 ? -magnitude : magnitude;
  }

  private static double unsignedLongToDouble(long v) {
    return v >= 0 ? v : (double) (v >>> 1) * 2 + (v & 1);
  }
}
