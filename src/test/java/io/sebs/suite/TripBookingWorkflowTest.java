package io.sebs.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.FunctionRecord;
import io.sebs.junit.NoSqlStorage;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.WorkflowInvoker;
import io.sebs.junit.WorkflowRun;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * 6200.trip-booking: a saga over three NoSQL tables. Size test books everything; small fails at the
 * flight and large at the confirmation, and the failure transitions cancel what was reserved, in reverse
 * order, leaving no row behind.
 */
@ServerlessBenchmark(value = "6200.trip-booking", language = "python")
class TripBookingWorkflowTest {

  static final List<String> TABLES = List.of("hotel_booking", "car_rentals", "flights");

  @Test
  void everyReservationIsBooked(WorkflowInvoker workflow, NoSqlStorage nosql) {
    WorkflowRun run = workflow.invoke();

    assertThat(run.failure()).isEmpty();
    String trip = run.output().path("trip_id").asText();
    assertThat(run.output().path("status").asText()).isEqualTo("success");
    assertThat(run.functions()).extracting(FunctionRecord::name)
        .containsExactly("reserve_hotel", "reserve_rental", "reserve_flight", "confirm");
    for (String table : TABLES) {
      List<Map<String, Object>> rows = nosql.query(workflow.tableName(table), "trip_id", trip);
      assertThat(rows).as(table).singleElement().satisfies(r -> assertThat(r.get("status")).isEqualTo("booked"));
    }
  }

  static void assertCompensated(WorkflowRun run, WorkflowInvoker workflow, NoSqlStorage nosql, List<String> cancelled) {
    assertThat(run.failure()).as("a handled failure does not fail the run").isEmpty();
    JsonNode out = run.output();
    assertThat(out.path("status").asText()).isEqualTo("failure");
    assertThat(out.path("cancelled")).extracting(JsonNode::asText).containsExactlyElementsOf(cancelled);
    String trip = out.path("trip_id").asText();
    for (String table : TABLES) {
      assertThat(nosql.query(workflow.tableName(table), "trip_id", trip)).as(table + " after the saga").isEmpty();
    }
  }
}
