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

/** 6200.trip-booking, size large: the confirmation fails; everything is cancelled in reverse order. */
@ServerlessBenchmark(value = "6200.trip-booking", language = "python", size = "large")
class TripBookingConfirmFailsWorkflowTest {
  @Test
  void everythingIsCancelledInReverseOrder(WorkflowInvoker workflow, NoSqlStorage nosql) {
    TripBookingWorkflowTest.assertCompensated(workflow.invoke(), workflow, nosql, List.of("flight", "rental", "hotel"));
  }
}
