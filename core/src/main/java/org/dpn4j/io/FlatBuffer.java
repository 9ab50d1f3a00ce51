package org.dpn4j.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal, bounds-checked reader of FlatBuffers binary data (little-endian): a table starts with a
 * signed offset back to its vtable; the vtable holds its own size, the table's size and one 16-bit
 * offset per field (0 = absent, so the schema default applies); tables, vectors and strings are
 * referenced by unsigned 32-bit offsets relative to where the offset is stored; a vector is a 32-bit
 * length followed by its elements. Every read checks that it stays inside the buffer and throws
 * {@link Corrupt} otherwise, so a damaged file never gives garbage silently.
 */
final class FlatBuffer {

  /** The data does not follow the FlatBuffers layout. */
  static final class Corrupt extends RuntimeException {
    Corrupt(String message) {
      super(message);
    }
  }

  private final ByteBuffer bb;

  FlatBuffer(ByteBuffer data) {
    this.bb = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The root table (the offset stored at byte 0). */
  Table root() {
    return new Table(follow(0));
  }

  /** The 4-byte file identifier after the root offset, or "" if the buffer is too short. */
  String identifier() {
    if (bb.limit() < 8) {
      return "";
    }
    byte[] id = new byte[4];
    bb.get(4, id);
    return new String(id, StandardCharsets.ISO_8859_1);
  }

  /** A slice of the whole buffer (for data stored outside the flatbuffer proper). */
  ByteBuffer slice(long position, long length) {
    check(position, length);
    return bb.slice((int) position, (int) length).order(ByteOrder.LITTLE_ENDIAN);
  }

  private void check(long position, long size) {
    if (position < 0 || size < 0 || position + size > bb.limit()) {
      throw new Corrupt("reads bytes " + position + ".." + (position + size) + " of a " + bb.limit() + "-byte buffer");
    }
  }

  /** The position that the unsigned offset stored at {@code at} points to. */
  private int follow(int at) {
    check(at, 4);
    long target = at + (bb.getInt(at) & 0xffffffffL);
    check(target, 1);
    return (int) target;
  }

  /** A table: scalar fields read with their schema defaults, reference fields as null/empty when absent. */
  final class Table {
    private final int pos;
    private final int vtable;
    private final int vtableSize;

    private Table(int pos) {
      check(pos, 4);
      this.pos = pos;
      long vt = (long) pos - bb.getInt(pos);
      check(vt, 4);
      this.vtable = (int) vt;
      this.vtableSize = bb.getShort(vtable) & 0xffff;
      if (vtableSize < 4 || vtableSize % 2 != 0) {
        throw new Corrupt("vtable at byte " + vtable + " has size " + vtableSize);
      }
      check(vtable, vtableSize);
    }

    /** Absolute position of field {@code id}, or -1 when absent. */
    private int field(int id, int size) {
      int slot = 4 + 2 * id;
      if (slot >= vtableSize) {
        return -1;
      }
      int offset = bb.getShort(vtable + slot) & 0xffff;
      if (offset == 0) {
        return -1;
      }
      check((long) pos + offset, size);
      return pos + offset;
    }

    boolean has(int id) {
      return field(id, 0) >= 0;
    }

    int getInt(int id, int defaultValue) {
      int at = field(id, 4);
      return at < 0 ? defaultValue : bb.getInt(at);
    }

    /** An unsigned 32-bit field; it must fit in an int (indices into vectors do). */
    int getUint(int id) {
      int v = getInt(id, 0);
      if (v < 0) {
        throw new Corrupt("unsigned field " + id + " of the table at byte " + pos + " is " + (v & 0xffffffffL));
      }
      return v;
    }

    long getLong(int id, long defaultValue) {
      int at = field(id, 8);
      return at < 0 ? defaultValue : bb.getLong(at);
    }

    int getByte(int id, int defaultValue) {
      int at = field(id, 1);
      return at < 0 ? defaultValue : bb.get(at);
    }

    /** An unsigned byte field (union type tags). */
    int getUbyte(int id) {
      return getByte(id, 0) & 0xff;
    }

    boolean getBool(int id, boolean defaultValue) {
      int at = field(id, 1);
      return at < 0 ? defaultValue : bb.get(at) != 0;
    }

    float getFloat(int id, float defaultValue) {
      int at = field(id, 4);
      return at < 0 ? defaultValue : bb.getFloat(at);
    }

    /** A sub-table, or null when absent. */
    Table table(int id) {
      int at = field(id, 4);
      return at < 0 ? null : new Table(follow(at));
    }

    /** A vector of tables (empty when absent). */
    List<Table> tables(int id) {
      int start = vectorStart(id, 4);
      List<Table> out = new ArrayList<>();
      for (int i = 0, n = vectorLength(id); i < n; i++) {
        out.add(new Table(follow(start + 4 * i)));
      }
      return out;
    }

    int[] ints(int id) {
      int start = vectorStart(id, 4);
      int[] out = new int[vectorLength(id)];
      for (int i = 0; i < out.length; i++) {
        out[i] = bb.getInt(start + 4 * i);
      }
      return out;
    }

    long[] longs(int id) {
      int start = vectorStart(id, 8);
      long[] out = new long[vectorLength(id)];
      for (int i = 0; i < out.length; i++) {
        out[i] = bb.getLong(start + 8 * i);
      }
      return out;
    }

    float[] floats(int id) {
      int start = vectorStart(id, 4);
      float[] out = new float[vectorLength(id)];
      for (int i = 0; i < out.length; i++) {
        out[i] = bb.getFloat(start + 4 * i);
      }
      return out;
    }

    /** A byte vector as a little-endian slice of the buffer (empty when absent). */
    ByteBuffer bytes(int id) {
      return slice(vectorStart(id, 1), vectorLength(id));
    }

    /** A UTF-8 string, or null when absent. */
    String string(int id) {
      if (!has(id)) {
        return null;
      }
      ByteBuffer b = bytes(id);
      return StandardCharsets.UTF_8.decode(b).toString();
    }

    /** Position of a vector's first element, its length and elements checked to lie inside the buffer. */
    private int vectorStart(int id, int elementSize) {
      int at = field(id, 4);
      if (at < 0) {
        return 0;
      }
      int vector = follow(at);
      check(vector, 4);
      long length = bb.getInt(vector) & 0xffffffffL;
      check(vector + 4L, length * elementSize);
      return vector + 4;
    }

    private int vectorLength(int id) {
      int at = field(id, 4);
      return at < 0 ? 0 : bb.getInt(follow(at));
    }
  }
}
