package org.dpn4j.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.dpn4j.value.Maps;
import org.junit.jupiter.api.Test;

class HeadSpecTest {

  @Test
  void windowWrittenFormsMeanWhatTheySay() {
    // 50@512: scaled from the reference size (CamVid 360 x 480 gives 47); 50: a fixed 50 x 50.
    assertEquals(Window.scaled(50, 512), Window.parse("50@512"));
    assertEquals(Window.of(47), Window.parse("50@512").resolve(360, 480));
    assertEquals(Window.of(50), Window.parse("50").resolve(360, 480));
    assertEquals(Window.of(6, 9), Window.parse("6x9"));
    assertEquals(Window.all(), Window.parse("ALL"));
    for (String s : new String[] {"50@512", "47", "6x9", "all", "1"}) {
      assertEquals(s, Window.parse(s).spec());
    }
    assertEquals("47", Window.of(47, 47).spec());
    for (String bad : new String[] {"", "x", "50@", "@512", "0", "0@512", "50@0", "5x", "-3", "fifty"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Window.parse(bad), bad);
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void defaultIsTheDesignsHeadAndRoundTrips() {
    HeadSpec d = HeadSpec.DEFAULT;
    assertEquals(Window.scaled(50, 512), d.window());
    assertEquals(TriplePenalty.Kernel.LINEAR, d.kernel());
    assertEquals(9, d.size());
    assertEquals(5, d.components());
    assertEquals("window=50@512,kernel=linear,size=9,components=5", d.toString());
    assertEquals(d, HeadSpec.parse(d.toString()));
    assertEquals(d, HeadSpec.parse(""));
    HeadSpec g = HeadSpec.parse("kernel=gaussian, window=all, size=1,components=1");
    assertEquals(new HeadSpec(Window.all(), TriplePenalty.Kernel.GAUSSIAN, 1, 1), g);
    assertEquals(g, HeadSpec.parse(g.toString()));
    assertEquals(Window.of(6, 9), HeadSpec.parse("window=6x9").window());
    assertEquals(new HeadSpec(Window.of(3), d.kernel(), 9, 5), d.withWindow(Window.of(3)));
  }

  @Test
  void badSpecsNameTheirFault() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> HeadSpec.parse("windw=5")).getMessage().contains("windw"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> HeadSpec.parse("kernel=box")).getMessage().contains("box"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> HeadSpec.parse("size=0")).getMessage().contains("positive"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> HeadSpec.parse("size=3,size=5")).getMessage().contains("once"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> HeadSpec.parse("components=two")).getMessage().contains("two"));
  }

  @Test
  void optionsBuilderStartsAtTheDefaultsAndNamesEverySwitch() {
    TriplePenalty.Options d = TriplePenalty.Options.defaults();
    assertEquals(new TriplePenalty.Options(TriplePenalty.Kernel.LINEAR, HeadSpec.DEFAULT.window(), true, true, true,
        false, 3, 80, 13), d);
    TriplePenalty.Options o = TriplePenalty.Options.builder().kernel(TriplePenalty.Kernel.GAUSSIAN).window(Window.all())
        .centreFactor(false).selfTerm(false).normalise(false).perLabelWeights(true).gaussianWidths(1, 2, 4)
        .build();
    assertEquals(new TriplePenalty.Options(TriplePenalty.Kernel.GAUSSIAN, Window.all(), false, false, false, true,
        1, 2, 4), o);
    assertEquals(o, o.toBuilder().build());
    assertEquals(HeadSpec.DEFAULT.b12Options(true), d.toBuilder().perLabelWeights(true).build());
    assertThrows(IllegalArgumentException.class, () -> TriplePenalty.Options.builder().gaussianWidths(0, 1, 1).build());
  }

  @Test
  void headsReportTheirSpecAndShareWeightsAcrossAWindowOverride() {
    HeadSpec spec = HeadSpec.parse("window=8,size=3,components=2");
    DpnHead head = DpnHead.initial(spec, 3, true);
    assertEquals(spec, head.spec());
    DpnHead other = head.withWindow(Window.of(2, 5));
    assertEquals(spec.withWindow(Window.of(2, 5)), other.spec());
    assertSame(head.b12().wRgb(), other.b12().wRgb());
    assertSame(head.b13(), other.b13());
    DpnHead3d head3d = DpnHead3d.from(head, 3).withWindow(Window.of(4));
    assertEquals(new HeadSpec(Window.of(4), spec.kernel(), 3, 2), head3d.spec());

    // The override is the window and nothing else: the same as a head built with that window.
    Random rnd = new Random(5);
    Maps p = randomProbabilities(3, 7, 9, rnd);
    Maps img = new Maps(3, 7, 9);
    for (int i = 0; i < img.data.length; i++) {
      img.data[i] = rnd.nextFloat();
    }
    head.b12().wRgb()[1] = 2.5f;
    DpnHead built = DpnHead.initial(spec.withWindow(Window.of(2, 5)), 3, true);
    built.b12().wRgb()[1] = 2.5f;
    assertArrayEquals(built.refine(p, img).data, other.refine(p, img).data);
    assertNotEquals(head.refine(p, img).maxRelativeError(other.refine(p, img)), 0.0);
  }

  private static Maps randomProbabilities(int labels, int h, int w, Random rnd) {
    Maps p = new Maps(labels, h, w);
    int plane = h * w;
    for (int i = 0; i < plane; i++) {
      float sum = 0;
      for (int v = 0; v < labels; v++) {
        sum += p.data[v * plane + i] = 0.05f + rnd.nextFloat();
      }
      for (int v = 0; v < labels; v++) {
        p.data[v * plane + i] /= sum;
      }
    }
    return p;
  }
}
