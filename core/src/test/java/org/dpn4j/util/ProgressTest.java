package org.dpn4j.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void logGetsTheFirstAndLastLineOnlyWhenStepsComeFast() {
    StringWriter s = new StringWriter();
    Progress p = new Progress(new PrintWriter(s), "eval", 100, "images", false);
    for (int i = 1; i <= 100; i++) {
      p.step(i);
    }
    String[] lines = s.toString().split("\n");
    assertEquals(2, lines.length, s.toString());
    assertTrue(lines[0].startsWith("eval 1/100  "), lines[0]);
    assertTrue(lines[1].startsWith("eval 100/100  "), lines[1]);
    assertTrue(lines[1].contains("images/s  0:00:00 left"), lines[1]);
  }

  @Test
  void terminalRedrawsOneLineAndEndsIt() {
    StringWriter s = new StringWriter();
    Progress p = new Progress(new PrintWriter(s), "train", 2, "steps", true);
    p.step(1, "loss 1.5");
    p.step(2, "loss 1.2");
    String text = s.toString();
    assertTrue(text.startsWith("\rtrain 1/2  loss 1.5  "), text);
    assertTrue(text.contains("\rtrain 2/2  loss 1.2  "), text);
    assertTrue(text.endsWith(System.lineSeparator()), text);
    assertEquals(1, text.split("\n").length);
  }

  @Test
  void clearErasesTheTerminalLineAndTheNextStepDrawsAtOnce() {
    StringWriter s = new StringWriter();
    Progress p = new Progress(new PrintWriter(s), "segment", 3, "images", true);
    p.step(1);
    int drawn = s.toString().length() - 1;
    p.clear();
    assertTrue(s.toString().endsWith("\r" + " ".repeat(drawn) + "\r"), s.toString());
    String cleared = s.toString();
    p.step(2);
    assertTrue(s.toString().substring(cleared.length()).startsWith("\rsegment 2/3  "), s.toString());
    StringWriter log = new StringWriter();
    Progress l = new Progress(new PrintWriter(log), "segment", 3, "images", false);
    l.step(1);
    String before = log.toString();
    l.clear();
    assertEquals(before, log.toString());
  }

  @Test
  void clockIsHoursMinutesSeconds() {
    assertEquals("1:01:01", Progress.clock(3661));
    assertEquals("0:00:59", Progress.clock(59.4));
  }
}
