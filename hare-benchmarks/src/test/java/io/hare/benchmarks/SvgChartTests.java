package io.hare.benchmarks;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SvgChartTests {

	@Test
	void axisMaximumIsRoundedUpToFourRoundTicks() {
		assertThat(SvgChart.nice(20_000)).isEqualTo(20_000);
		assertThat(SvgChart.nice(19_321)).isEqualTo(20_000);
		assertThat(SvgChart.nice(15.2)).isEqualTo(20);
		assertThat(SvgChart.nice(8)).isEqualTo(8);
		assertThat(SvgChart.nice(0)).isEqualTo(4);
	}

	@Test
	void chartHasAPolylinePerContenderInEachPanelAndEscapesNames() {
		SvgChart chart = new SvgChart("depth & consumers");
		chart.add("fixed <1>", List.of(new SvgChart.Sample(0, 100, 1), new SvgChart.Sample(1, 0, 1)));
		chart.add("scaled", List.of(new SvgChart.Sample(0, 100, 1), new SvgChart.Sample(0.5, 0, 8)));
		String svg = chart.render();
		assertThat(svg).startsWith("<svg").endsWith("</svg>\n");
		assertThat(svg.split("<polyline", -1)).hasSize(5);
		assertThat(svg).contains("depth &amp; consumers").contains("fixed &lt;1&gt;").doesNotContain("<1>");
	}

	@Test
	void panelsShareTheXAxisAndASeriesKeepsItsColourAcrossPanels() {
		SvgChart chart = new SvgChart("start-up", "listeners")
			.line("start-up ms", "Hare", List.of(new SvgChart.Point(10, 100), new SvgChart.Point(500, 900)))
			.line("start-up ms", "plain", List.of(new SvgChart.Point(10, 90), new SvgChart.Point(500, 700)))
			.line("heap MB", "Hare", List.of(new SvgChart.Point(10, 20), new SvgChart.Point(500, 60)));
		String svg = chart.render();
		assertThat(svg.split("<polyline", -1)).hasSize(4);
		assertThat(svg.split("stroke=\"#d62728\"", -1)).hasSize(4);
		assertThat(svg).contains(">start-up ms<").contains(">heap MB<").contains(">listeners<");
	}

	@Test
	void delaysChartHasTheMedianAndP99LatenessOfEachDelay() {
		double[] lateness = { 10, 20, 30, 500 };
		long[] delays = { 1, 1, 3, 3 };
		String svg = DelaysScenario.chart(lateness, delays).render();
		assertThat(svg.split("<polyline", -1)).hasSize(3);
		assertThat(svg).contains(">p50<").contains(">p99<").contains(">delay (s)<");
	}

}
