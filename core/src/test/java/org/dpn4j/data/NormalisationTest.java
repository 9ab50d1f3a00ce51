package org.dpn4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.dpn4j.value.Maps;
import org.junit.jupiter.api.Test;

/** {@link Normalisation#undo} inverts {@link Normalisation#apply} (the RGB that stage finetune gives b12). */
class NormalisationTest {

  @Test
  void undoRestoresTheRgb() {
    Random r = new Random(3);
    Maps rgb = new Maps(3, 4, 5);
    for (int i = 0; i < rgb.data.length; i++) {
      rgb.data[i] = r.nextFloat();
    }
    for (Normalisation n : new Normalisation[] {Normalisation.IMAGENET, Normalisation.SYMMETRIC}) {
      Maps back = n.undo(n.apply(rgb));
      for (int i = 0; i < rgb.data.length; i++) {
        assertEquals(rgb.data[i], back.data[i], 1e-6);
      }
      // A padded pixel (0 after normalising) is the mean colour.
      assertEquals(n.mean()[1], n.undo(new Maps(3, 1, 1)).data[1], 0f);
    }
    assertThrows(IllegalArgumentException.class, () -> Normalisation.IMAGENET.undo(new Maps(2, 1, 1)));
  }
}
