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

/** 6200.trip-booking, size small: the flight fails; the rental and the hotel are cancelled. */
@ServerlessBenchmark(value = "6200.trip-booking", language = "python", size = "small")
class TripBookingFlightFailsWorkflowTest {
  @Test
  void theRentalAndTheHotelAreCancelled(WorkflowInvoker workflow, NoSqlStorage nosql) {
    WorkflowRun run = workflow.invoke();

    TripBookingWorkflowTest.assertCompensated(run, workflow, nosql, List.of("rental", "hotel"));
    assertThat(run.functions()).extracting(FunctionRecord::name)
        .containsExactly("reserve_hotel", "reserve_rental", "reserve_flight", "cancel_rental", "cancel_hotel");
    assertThat(run.functions()).filteredOn(FunctionRecord::failed).extracting(FunctionRecord::name)
        .containsExactly("reserve_flight");
  }
}
