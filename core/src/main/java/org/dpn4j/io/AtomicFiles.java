package org.dpn4j.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a reader never sees a half-written one and a crash never destroys the old
 * file: the bytes go to a hidden temporary file in the same directory, are forced to disk, and the
 * file is then renamed over the target.
 */
public final class AtomicFiles {

  private AtomicFiles() {}

  /** Something that writes a file's content to a channel. */
  @FunctionalInterface
  public interface ChannelWriter {
    void writeTo(FileChannel out) throws IOException;
  }

  /** Something that writes a file's content to a stream. */
  @FunctionalInterface
  public interface StreamWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes the concatenation of {@code parts} to {@code file} atomically. */
  public static void write(Path file, byte[]... parts) throws IOException {
    write(
        file,
        (FileChannel ch) -> {
          for (byte[] p : parts) {
            writeFully(ch, ByteBuffer.wrap(p));
          }
        });
  }

  /** Writes what {@code writer} produces on a buffered stream to {@code file} atomically. */
  public static void writeStream(Path file, StreamWriter writer) throws IOException {
    write(
        file,
        (FileChannel ch) -> {
          // Not closed here: closing would close the channel before it is forced to disk.
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
          writer.writeTo(out);
          out.flush();
        });
  }

  /**
   * Writes what {@code writer} puts on the channel to {@code file} atomically. A failure after the
   * folder exists is an {@link OutputException} naming {@code file}.
   */
  public static void write(Path file, ChannelWriter writer) throws IOException {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    // Not Files.createTempFile: its owner-only permissions would stick to the renamed file.
    Path tmp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
        writer.writeTo(ch);
        ch.force(true);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (OutputException e) {
      throw e;
    } catch (IOException e) {
      throw new OutputException(file, e);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes all remaining bytes of {@code b}. */
  public static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }
}
