package dev.gpuplan.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.net.URL;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.gpuplan.client.ApiClient;
import dev.gpuplan.client.ApiException;
import dev.gpuplan.client.api.BudgetResourceApi;
import dev.gpuplan.client.api.ClusterResourceApi;
import dev.gpuplan.client.api.MeResourceApi;
import dev.gpuplan.client.api.PlanResourceApi;
import dev.gpuplan.client.api.ProposalResourceApi;
import dev.gpuplan.client.api.RunResourceApi;
import dev.gpuplan.client.model.CommitResult;
import dev.gpuplan.client.model.EventsResult;
import dev.gpuplan.client.model.Explanation;
import dev.gpuplan.client.model.HorizonInput;
import dev.gpuplan.client.model.Ledger;
import dev.gpuplan.client.model.Me;
import dev.gpuplan.client.model.Plan;
import dev.gpuplan.client.model.PlanDiff;
import dev.gpuplan.client.model.PlanRequest;
import dev.gpuplan.client.model.PlanStatus;
import dev.gpuplan.client.model.ReasonCode;
import dev.gpuplan.client.model.Role;
import dev.gpuplan.client.model.Run;
import dev.gpuplan.client.model.RunEvent;
import dev.gpuplan.client.model.RunStatus;
import dev.gpuplan.client.model.Pool;
import dev.gpuplan.client.model.Proposal;
import dev.gpuplan.client.model.Unselected;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A client generated from docs/openapi.yaml at build time (openapi-generator, Java, JDK HttpClient) drives the whole
 * flow an automation author would: horizon, pools, a batch of proposals, a plan polled to SOLVED, an explanation of
 * an unselected proposal, and the diff of two plans; then the research loop's part: commit a plan, report a run
 * started, read the runs and the ledger. A refusal arrives as the problem document.
 */
@QuarkusTest
class GeneratedClientTest {

    @TestHTTPResource("/")
    URL service;

    private ApiClient client() {
        ApiClient client = new ApiClient();
        client.updateBaseUri(service.toString().replaceAll("/$", ""));
        String token = dev.gpuplan.access.TestTokens.lead();
        client.setRequestInterceptor(request -> request.header("Authorization", dev.gpuplan.access.TestTokens.bearer(token)));
        return client;
    }

    @Test
    void aGeneratedClientPlansExplainsAndDiffs() throws Exception {
        ApiClient client = client();
        ClusterResourceApi cluster = new ClusterResourceApi(client);
        ProposalResourceApi proposals = new ProposalResourceApi(client);
        PlanResourceApi plans = new PlanResourceApi(client);

        // the same cluster every REST test relies on: two pools of 8 GPUs, three days of hourly slots
        cluster.apiHorizonPut(new HorizonInput().start(OffsetDateTime.parse(Api.HORIZON_START)).days(BigDecimal.valueOf(3)).slotMinutes(60));
        List<Pool> pools = cluster.apiPoolsPut(List.of(new Pool().name("a100-east").gpuType("a100").gpus(8),
                new Pool().name("h100-west").gpuType("h100").gpus(8)));
        assertThat(pools).extracting(Pool::getName).containsExactly("a100-east", "h100-west");

        proposals.apiProposalsPost(List.of(
                proposal("gen-baseline", 40, 8, 6),
                proposal("gen-ablation", 30, 8, 6).successProbability(new BigDecimal("0.8")).dependsOn(List.of("gen-baseline")),
                proposal("gen-long-sweep", 20, 8, 12),
                proposal("gen-too-wide", 99, 64, 2)), null);
        assertThat(proposals.apiProposalsKeyGet("gen-ablation").getDependsOn()).containsExactly("gen-baseline");

        List<String> keys = List.of("gen-baseline", "gen-ablation", "gen-long-sweep", "gen-too-wide");
        Plan small = solved(plans, plans.apiPlansPost(new PlanRequest().budgetGpuHours(BigDecimal.valueOf(110)).timeLimitSeconds(1).proposals(keys), null));
        Plan large = solved(plans, plans.apiPlansPost(new PlanRequest().budgetGpuHours(BigDecimal.valueOf(300)).timeLimitSeconds(1).proposals(keys), null));

        assertThat(small.getFeasible()).isTrue();
        assertThat(small.getUnselected()).extracting(Unselected::getProposal).contains("gen-too-wide");
        Unselected tooWide = small.getUnselected().stream().filter(u -> u.getProposal().equals("gen-too-wide")).findFirst().orElseThrow();
        assertThat(tooWide.getCode()).isEqualTo(ReasonCode.NO_FITTING_POOL);

        Explanation explanation = plans.apiPlansIdExplainProposalGet(small.getId(), "gen-too-wide", "1");
        assertThat(explanation.getSelected()).isFalse();
        assertThat(explanation.getReasons()).extracting(Unselected::getCode).contains(ReasonCode.NO_FITTING_POOL);

        PlanDiff diff = plans.apiPlansADiffBGet(small.getId(), large.getId());
        assertThat(diff.getGpuHoursChange()).isEqualByComparingTo(large.getTotals().getGpuHours().subtract(small.getTotals().getGpuHours()));
        assertThat(diff.getSelectedChange()).isEqualTo(large.getTotals().getSelected() - small.getTotals().getSelected());
        assertThat(diff.getAdded().size() - diff.getRemoved().size()).isEqualTo(diff.getSelectedChange());

        // the loop: commit the larger plan, report its first run started, read runs and ledger back
        Me me = new MeResourceApi(client).apiMeGet();
        assertThat(me.getRoles()).contains(Role.LEAD);
        CommitResult commit = plans.apiPlansIdCommitPost(large.getId());
        assertThat(commit.getRuns()).extracting(Run::getProposal)
                .containsExactlyInAnyOrderElementsOf(large.getAssignments().stream().map(a -> a.getProposal()).toList());
        Run first = commit.getRuns().get(0);
        RunResourceApi runs = new RunResourceApi(client);
        EventsResult started = runs.apiRunsProposalEventsPost(first.getProposal(),
                new RunEvent().type(RunEvent.TypeEnum.STARTED).at(first.getPlannedStart()).eventId("gen-" + large.getId()));
        assertThat(started.getRun().getStatus()).isEqualTo(RunStatus.STARTED);
        assertThat(started.getRun().getStart()).isEqualTo(first.getPlannedStart());
        assertThat(runs.apiRunsProposalGet(first.getProposal())).last().extracting(Run::getStatus).isEqualTo(RunStatus.STARTED);
        Ledger ledger = new BudgetResourceApi(client).apiBudgetGet(null);
        assertThat(ledger.getCommittedPlanId()).isEqualTo(large.getId());
        assertThat(ledger.getSpentGpuHours()).isPositive();
    }

    @Test
    void aRefusalIsAnApiExceptionCarryingTheProblemDocument() {
        ProposalResourceApi proposals = new ProposalResourceApi(client());

        ApiException missing = catchThrowableOfType(ApiException.class, () -> proposals.apiProposalsKeyGet("gen-no-such-proposal"));
        ApiException refused = catchThrowableOfType(ApiException.class,
                () -> proposals.apiProposalsKeyPut("gen-zero", proposal("gen-zero", 1, 0, 1)));

        assertThat(missing.getCode()).isEqualTo(404);
        assertThat(missing.getResponseBody()).contains("\"detail\"").contains("gen-no-such-proposal");
        assertThat(refused.getCode()).isEqualTo(400);
        assertThat(refused.getResponseBody()).contains("\"field\":\"gpus\"");
    }

    private static Proposal proposal(String key, int value, int gpus, int hours) {
        return new Proposal().key(key).team("gen").value(BigDecimal.valueOf(value)).gpus(gpus).hours(BigDecimal.valueOf(hours));
    }

    private static Plan solved(PlanResourceApi plans, Plan accepted) {
        assertThat(accepted.getStatus().getValue()).isEqualTo(PlanStatus.QUEUED.getValue());
        Plan plan = Awaitility.await("plan " + accepted.getId()).atMost(Api.PLAN_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> plans.apiPlansIdGet(accepted.getId()),
                        p -> !p.getStatus().getValue().equals(PlanStatus.QUEUED.getValue())
                                && !p.getStatus().getValue().equals(PlanStatus.SOLVING.getValue()));
        assertThat(plan.getStatus().getValue()).isEqualTo(PlanStatus.SOLVED.getValue());
        return plan;
    }
}
