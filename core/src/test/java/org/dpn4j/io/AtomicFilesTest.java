package org.dpn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: write failures name the file and the cause; temporary files do not outlive their process. */
class AtomicFilesTest {

  @TempDir Path dir;

  @Test
  void aFileWhereAFolderIsExpectedIsNamedWithoutTheTemporaryFile() throws IOException {
    Path file = Files.writeString(dir.resolve("notes.txt"), "mine");
    Path target = file.resolve("x.png");
    OutputException e = assertThrows(OutputException.class, () -> AtomicFiles.write(target, new byte[] {1}));
    assertTrue(e.getMessage().startsWith(file + ": cannot write it ("), e.getMessage());
    assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
    assertEquals("mine", Files.readString(file));
  }

  @Test
  void aFailingWriterLeavesNoTemporaryFileAndTheOldFileIntact() throws IOException {
    Path target = Files.writeString(dir.resolve("result.npy"), "old");
    OutputException e = assertThrows(OutputException.class, () -> AtomicFiles.write(target, ch -> {
      throw new IOException("No space left on device");
    }));
    assertEquals(target + ": cannot write it (No space left on device)", e.getMessage());
    assertEquals("old", Files.readString(target));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(1, s.count(), "only result.npy is left");
    }
  }

  @Test
  void temporaryFilesOfDeadProcessesAreCleanedOnTheNextWriteAndLiveOnesKept() throws IOException {
    Path out = Files.createDirectories(dir.resolve("out"));
    long dead = deadPid();
    Path stale = Files.writeString(out.resolve(".x.png." + dead + ".1a2b3c.tmp"), "half");
    Path live = Files.writeString(out.resolve(".y.png." + ProcessHandle.current().pid() + ".4d5e.tmp"), "writing");
    Path mine = Files.writeString(out.resolve(".config.tmp"), "not ours");
    AtomicFiles.write(out.resolve("x.png"), new byte[] {1, 2});
    assertFalse(Files.exists(stale), "the killed run's temporary file is removed");
    assertTrue(Files.exists(live), "a running process's temporary file is kept");
    assertTrue(Files.exists(mine), "a file that is not ours is kept");
  }

  /** A process id that no running process has. */
  private static long deadPid() {
    for (long pid = 4_000_000; ; pid--) {
      if (ProcessHandle.of(pid).isEmpty()) {
        return pid;
      }
    }
  }
}
