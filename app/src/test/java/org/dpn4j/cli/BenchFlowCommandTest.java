package org.dpn4j.cli;

import org.dpn4j.testing.Integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

@Integration
class BenchFlowCommandTest {

  @Test
  void jsonReportsErrorTimeAndOcclusionPerMethod() throws Exception {
    CommandRun run = CommandRun.of(new BenchFlowCommand(), "--methods", "dis-ultrafast,farneback", "--runs", "1", "--json", "--threads", "1");
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode r = new ObjectMapper().readTree(run.out());
    assertEquals(2, r.get("pairs").asInt());
    assertEquals("384x512", r.get("size").asText());
    assertEquals(2, r.get("methods").size());
    assertEquals(5.28, r.get("zero_flow_epe_px").asDouble(), 0.01);
    for (JsonNode m : r.get("methods")) {
      // Measured 4.64 (DIS ultrafast) and 5.26 px (Farneback); a zero flow averages 5.28 px.
      double epe = m.get("mean_epe_px").asDouble();
      assertTrue(epe > 0.5 && epe < 6, m.toString());
      assertEquals(2, m.get("epe_per_pair").size(), m.toString());
      assertTrue(m.get("median_ms_per_pair").asDouble() > 0, m.toString());
      // The forward-backward check drops the worst links (measured 1.76 and 2.87 px on the rest).
      assertTrue(m.get("mean_epe_linked_px").asDouble() < 0.7 * epe, m.toString());
      double occluded = m.get("occluded_fraction").asDouble();
      assertTrue(occluded > 0.01 && occluded < 0.6, m.toString());
    }
  }

  @Test
  void textTableAndClearErrors() {
    CommandRun run = CommandRun.of(new BenchFlowCommand(), "--methods", "dis-ultrafast", "--runs", "1");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("dis-ultrafast") && run.out().contains("EPE (px)"), run.toString());
    CommandRun missing = CommandRun.of(new BenchFlowCommand(), "--data", "no/such/dir");
    assertNotEquals(0, missing.exitCode());
    assertTrue(missing.err().contains("no/such/dir"), missing.toString());
    CommandRun unknown = CommandRun.of(new BenchFlowCommand(), "--methods", "lk");
    assertNotEquals(0, unknown.exitCode());
    assertTrue(unknown.err().contains("unknown flow method"), unknown.toString());
  }
}
