package io.sebs.junit.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Allure's history of a test is kept per platform, whatever the platform's place in sebs.platform's list. */
class AllureHistoryIdTest {

  private static final String SECOND = "[engine:junit-jupiter]/[class-template:x.SleepTest]"
      + "/[class-template-invocation:#2]/[method:warm(io.sebs.junit.Measurements)]";
  private static final String FIRST = SECOND.replace("#2", "#1");

  @Test
  void theSamePlatformAtAnotherPlaceInTheListKeepsItsHistory() {
    assertThat(AllureReport.historyId(SECOND, "docker")).isEqualTo(AllureReport.historyId(FIRST, "docker"));
  }

  @Test
  void anotherPlatformHasAnotherHistory() {
    assertThat(AllureReport.historyId(FIRST, "local")).isNotEqualTo(AllureReport.historyId(FIRST, "docker"));
  }

  @Test
  void otherTestsKeepTheirOwnHistory() {
    assertThat(AllureReport.historyId(FIRST.replace("warm", "cold"), "docker"))
        .isNotEqualTo(AllureReport.historyId(FIRST, "docker"));
  }
}
