package org.dpn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicDirectoryTest {

  @TempDir Path tmp;

  @Test
  void aDirectoryIsReplacedAsAWholeAndAFailedWriteLeavesTheOldOne() throws IOException {
    Path dir = tmp.resolve("ck");
    AtomicDirectory.replace(dir, d -> Files.writeString(d.resolve("a"), "1"));
    AtomicDirectory.replace(dir, d -> Files.writeString(d.resolve("b"), "2"));
    assertFalse(Files.exists(dir.resolve("a")));
    assertEquals("2", Files.readString(dir.resolve("b")));
    assertThrows(IOException.class, () -> AtomicDirectory.replace(dir, d -> {
      Files.writeString(d.resolve("c"), "3");
      throw new IOException("disk full");
    }));
    assertEquals("2", Files.readString(dir.resolve("b")));
    assertFalse(Files.exists(dir.resolve("c")));
    try (var s = Files.list(tmp)) {
      assertEquals(1, s.count(), "no temporary directory left after a failed write");
    }
  }

  @Test
  void aKilledWritesLeftoverIsRemovedOnTheNextRun() throws IOException {
    Path dir = tmp.resolve("ck");
    AtomicDirectory.replace(dir, d -> Files.writeString(d.resolve("a"), "1"));
    // What a write killed by the kernel (kill -9) leaves: a hidden temporary sibling.
    Path leftover = tmp.resolve(".ck.1a2b3c.tmp");
    Files.createDirectories(leftover.resolve("model"));
    Files.writeString(leftover.resolve("model/weights"), "half");
    Path other = tmp.resolve(".other.1a2b.tmp");
    Files.createDirectory(other);
    assertEquals(dir, AtomicDirectory.readable(dir));
    assertFalse(Files.exists(leftover), "the next run (reading its checkpoint) removes the leftover");
    assertTrue(Files.exists(other), "another directory's temporaries are not touched");
    Files.createDirectory(leftover);
    AtomicDirectory.replace(dir, d -> Files.writeString(d.resolve("a"), "2"));
    assertFalse(Files.exists(leftover), "the next save removes the leftover");
  }

  @Test
  void theCopyMovedAsideBeforeACrashIsFound() throws IOException {
    Path dir = tmp.resolve("ck");
    AtomicDirectory.replace(dir, d -> Files.writeString(d.resolve("a"), "1"));
    Files.move(dir, tmp.resolve(".ck.old"));
    assertEquals("1", Files.readString(AtomicDirectory.readable(dir).resolve("a")));
    AtomicDirectory.replace(dir, d -> Files.writeString(d.resolve("a"), "2"));
    assertFalse(Files.exists(tmp.resolve(".ck.old")));
    assertEquals("2", Files.readString(AtomicDirectory.readable(dir).resolve("a")));
  }
}
