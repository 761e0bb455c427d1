#!/usr/bin/env python3
"""Schedule a research loop's proposed experiments with a gpuplan service.

Reads proposals as JSON lines (one object per line, gpuplan's proposal fields: key, team, value, gpus,
hours, ...) from a file or standard input, stores them on the service (new keys are created, known keys
replaced), starts a plan with the given GPU-hour budget, follows its progress and prints the selected
runs and the reason for every proposal left out.

    python3 propose_experiments.py proposals.jsonl --budget 2000-gpu-hours
    my-loop | python3 propose_experiments.py --budget 2000h --server http://gpuplan:8080

Python 3.8+, standard library only. Exit codes (as the gpuplan CLI): 0 a feasible plan, 1 solved but
infeasible, 2 bad input (the message names the line or the service's field), 4 the service cannot be
reached, 5 the service answered with another error or the solve failed, 130 interrupted (the plan goes
on solving on the service).
"""

import argparse
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

OK, INFEASIBLE, BAD_INPUT, UNREACHABLE, SERVICE_ERROR, INTERRUPTED = 0, 1, 2, 4, 5, 130
FINISHED = ("SOLVED", "STOPPED", "FAILED")


class Failure(Exception):
    """An error reported in one line, with the exit code it ends the script with."""

    def __init__(self, exit_code, message, status=None):
        super().__init__(message)
        self.exit_code = exit_code
        self.status = status  # the HTTP status, when the service answered


def parse_budget(text):
    """A GPU-hour budget as the CLI takes it: 2000, 2000h or 2000-gpu-hours."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(h|gpu-hours|-gpu-hours|gpuh)?", text.strip(), re.IGNORECASE)
    if not match or float(match.group(1)) <= 0:
        raise argparse.ArgumentTypeError(
            "budget must be a number of GPU-hours > 0 such as 2000, 2000h or 2000-gpu-hours, got '%s'" % text)
    number = match.group(1)
    return int(number) if "." not in number else float(number)


def parse_seconds(text):
    """A solver time limit: 30, 30s, 2m."""
    match = re.fullmatch(r"(\d+)\s*(s|m)?", text.strip())
    if not match or int(match.group(1)) <= 0:
        raise argparse.ArgumentTypeError("time limit must be such as 30s or 2m, got '%s'" % text)
    return int(match.group(1)) * (60 if match.group(2) == "m" else 1)


def read_proposals(stream, source):
    """One JSON object per line; blank lines and lines starting with '#' are skipped."""
    proposals = []
    for number, line in enumerate(stream, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            proposal = json.loads(line)
        except ValueError as e:
            raise Failure(BAD_INPUT, "%s:%d: not a JSON object: %s" % (source, number, e))
        if not isinstance(proposal, dict):
            raise Failure(BAD_INPUT, "%s:%d: a proposal must be a JSON object, got %s" % (source, number, type(proposal).__name__))
        if not isinstance(proposal.get("key"), str):
            raise Failure(BAD_INPUT, "%s:%d: the proposal has no \"key\"" % (source, number))
        proposals.append(proposal)
    if not proposals:
        raise Failure(BAD_INPUT, "%s: no proposals (expected one JSON object per line)" % source)
    return proposals


def in_dependency_order(proposals):
    """Prerequisites first, so the service can check each dependency as the proposal arrives."""
    by_key = {p["key"]: p for p in proposals}
    ordered, done = [], set()

    def visit(proposal, trail):
        key = proposal["key"]
        if key in done or key in trail:
            return
        for dependency in proposal.get("dependsOn") or []:
            if dependency in by_key:
                visit(by_key[dependency], trail | {key})
        done.add(key)
        ordered.append(proposal)

    for proposal in proposals:
        visit(proposal, frozenset())
    return ordered


class Service:
    """gpuplan's REST API: JSON in and out; errors are application/problem+json."""

    def __init__(self, server, token):
        self.server = server.rstrip("/")
        self.token = token

    def request(self, method, path, body=None, accept="application/json"):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.server + path, data=data, method=method)
        request.add_header("Accept", accept)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        try:
            return urllib.request.urlopen(request, timeout=60)
        except urllib.error.HTTPError as e:
            raise self.refusal(method, path, e)
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise Failure(UNREACHABLE, "cannot reach the gpuplan service at %s (%s): start it with 'gpuplan serve' "
                                       "or pass --server" % (self.server, reason))

    def json(self, method, path, body=None):
        with self.request(method, path, body) as response:
            return response.status, json.loads(response.read().decode("utf-8") or "null")

    @staticmethod
    def refusal(method, path, error):
        """The service's own message: the problem document's errors (each with its field), else its detail."""
        status = error.code
        text = error.read().decode("utf-8", "replace")
        message = text.strip()[:300] or error.reason
        try:
            problem = json.loads(text)
            errors = problem.get("errors") or []
            if errors:
                message = "; ".join(e.get("message", "") for e in errors)
            elif problem.get("detail"):
                message = problem["detail"]
            if problem.get("field") and not errors:
                message += " (field: %s)" % problem["field"]
        except ValueError:
            pass
        code = BAD_INPUT if status in (400, 409, 413, 422) else SERVICE_ERROR
        return Failure(code, "the service answered %d to %s %s: %s" % (status, method, path, message), status)


def submit_proposals(service, proposals):
    """One all-or-nothing batch; when some keys are already stored, each proposal is put by key instead (an upsert)."""
    try:
        service.json("POST", "/api/proposals", proposals)
        return "created"
    except Failure as e:
        if e.status != 409:
            raise
    for proposal in in_dependency_order(proposals):
        service.json("PUT", "/api/proposals/" + urllib.parse.quote(proposal["key"], safe=""), proposal)
    return "stored (known keys replaced)"


def follow(service, plan_id, report):
    """Reports progress from the plan's event stream; returns False when there is none (the caller then polls)."""
    try:
        response = service.request("GET", "/api/plans/%s/events" % plan_id, accept="text/event-stream")
    except Failure:
        return False
    with response:
        if not response.headers.get("Content-Type", "").startswith("text/event-stream"):
            return False
        event, data = "message", []
        try:
            for raw in response:
                line = raw.decode("utf-8").rstrip("\r\n")
                if not line:
                    if data:
                        report(json.loads("\n".join(data)))
                        if event == "done":
                            return True
                    event, data = "message", []
                elif line.startswith("event:"):
                    event = line[len("event:"):].strip()
                elif line.startswith("data:"):
                    data.append(line[len("data:"):].lstrip())
        except (OSError, ValueError):
            pass
    return False


def wait(service, plan_id, report):
    if not follow(service, plan_id, report):
        while True:
            _, plan = service.json("GET", "/api/plans/" + plan_id)
            report(plan)
            if plan["status"] in FINISHED:
                break
            time.sleep(1)
    return service.json("GET", "/api/plans/" + plan_id)[1]


def progress_printer(started):
    def report(progress):
        totals = progress.get("totals") or {}
        best = "-" if not progress.get("score") else "expected value %s, %s runs, %s GPU-h" % (
            totals.get("expectedValue"), totals.get("selected"), totals.get("gpuHours"))
        print("%-8s %4ds  best: %s" % (progress["status"], time.time() - started, best), file=sys.stderr, flush=True)
    return report


def print_plan(plan):
    totals = plan["totals"]
    print("Plan %s: %s, %s" % (plan["id"], plan["status"], "feasible" if plan["feasible"] else "INFEASIBLE"))
    print("Expected value %s; %s GPU-hours of %s budgeted; %d of %d proposals selected" % (
        totals["expectedValue"], totals["gpuHours"], plan["budgetGpuHours"], totals["selected"], totals["candidates"]))
    print()
    print("Selected runs:")
    print("  %-32s %-12s %-21s %-21s %5s %8s" % ("proposal", "pool", "start", "end", "gpus", "GPU-h"))
    for a in sorted(plan["assignments"], key=lambda a: (a["start"], a["pool"], a["proposal"])):
        print("  %-32s %-12s %-21s %-21s %5d %8s" % (a["proposal"], a["pool"], a["start"], a["end"], a["gpus"], a["gpuHours"]))
    if plan["unselected"]:
        print()
        print("Not selected:")
        for u in plan["unselected"]:
            print("  %-32s %-24s %s" % (u["proposal"], u["code"], u["message"]))
    for violation in plan.get("violations") or []:
        print("Violation: " + violation)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", default="-", help="JSON-lines proposals file (default: standard input)")
    parser.add_argument("--budget", required=True, type=parse_budget, help="GPU-hours: 2000, 2000h or 2000-gpu-hours")
    parser.add_argument("--server", default=os.environ.get("GPUPLAN_SERVER") or "http://localhost:8080",
                        help="the gpuplan service (default: $GPUPLAN_SERVER, else http://localhost:8080)")
    parser.add_argument("--token", default=os.environ.get("GPUPLAN_TOKEN"),
                        help="API token, sent as 'Authorization: Bearer' (default: $GPUPLAN_TOKEN)")
    parser.add_argument("--config", help="planning config on the service (default: the service's default)")
    parser.add_argument("--time-limit", type=parse_seconds, help="solver time limit such as 30s (default: the config's)")
    parser.add_argument("--only-these", action="store_true",
                        help="plan only the proposals read here, not every proposal stored on the service")
    args = parser.parse_args(argv)

    try:
        if args.file == "-":
            proposals = read_proposals(sys.stdin, "<stdin>")
        else:
            try:
                with open(args.file, encoding="utf-8") as stream:
                    proposals = read_proposals(stream, args.file)
            except OSError as e:
                raise Failure(BAD_INPUT, "%s: cannot be read: %s" % (args.file, e.strerror))
        service = Service(args.server, args.token)
        how = submit_proposals(service, proposals)
        request = {"budgetGpuHours": args.budget}
        if args.config:
            request["config"] = args.config
        if args.time_limit:
            request["timeLimitSeconds"] = args.time_limit
        if args.only_these:
            request["proposals"] = [p["key"] for p in proposals]
        _, plan = service.json("POST", "/api/plans", request)
        print("Sent %d proposals (%s). Plan %s is %s: %s/api/plans/%s" % (
            len(proposals), how, plan["id"], plan["status"], service.server, plan["id"]), file=sys.stderr, flush=True)
        plan = wait(service, plan["id"], progress_printer(time.time()))
        print_plan(plan)
        if plan["status"] == "FAILED":
            return SERVICE_ERROR
        return OK if plan["feasible"] else INFEASIBLE
    except Failure as e:
        print("propose_experiments: " + str(e), file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("\nStopped waiting; the plan keeps solving on the service.", file=sys.stderr)
        return INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
