"""A printable HTML timeline of cases for auditors, with Chinese labels and each case's findings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from html import escape

from api.render.details import STATUS_LABELS, TYPE_LABELS, event_line, said
from application.audit.findings import CaseFindings
from application.audit.use_cases import ExportedEvent
from application.privacy import mask_text, masked_event_data
from application.response_audit import DeadlineState
from application.views import TicketState

COLUMNS = ("序号", "事项", "发生时间", "录入时间", "操作人", "内容", "链位置 / 哈希")
STYLE = (
    "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%}"
    "td,th{border:1px solid #999;padding:4px;vertical-align:top;font-size:90%}"
    "code{font-size:80%;word-break:break-all}section{page-break-after:always}"
)


@dataclass(frozen=True)
class CaseTimeline:
    state: TicketState
    events: Sequence[ExportedEvent]
    findings: CaseFindings


def render_document(cases: Sequence[CaseTimeline], title: str, zone: tzinfo) -> str:
    """The cases as one HTML page, times in `zone`. A printed page leaves the building: the callers' personal
    data is masked everywhere on it, as for an auditor online."""
    body = "".join(_Page(zone).case(case) for case in cases) or "<p>没有符合条件的工单。</p>"
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>{body}</body></html>\n"
    )


@dataclass(frozen=True)
class _Page:
    zone: tzinfo

    def case(self, case: CaseTimeline) -> str:
        state = case.state
        name = None if state.caller is None else state.caller.name
        summary = mask_text(state.summary, name)
        heading = f"工单 {escape(state.external_ref or str(state.id))}：{escape(summary)}"
        facts = _rows([
            ("工单编号", state.external_ref or "—"), ("系统编号", str(state.id)), ("承办单位", state.unit),
            ("状态", STATUS_LABELS[state.status.value]), ("受理时间", self.time(state.received_at)),
            ("回音时限", self.time(state.deadlines.respond_by)),
            ("办结时限", self.time(state.deadlines.resolve_by)),
        ])  # fmt: skip
        return (
            f"<section><h2>{heading}</h2><table>{facts}</table><h3>审计结论（事事有回音、件件有着落）</h3>"
            f"<table>{self.findings(case.findings, name)}</table><h3>办理过程</h3>{self.events(case.events)}"
            "</section>"
        )

    def findings(self, findings: CaseFindings, caller_name: str | None) -> str:
        def masked(text: str | None) -> str:
            return mask_text(text or "", caller_name)

        ratings = "；".join(
            f"{self.time(r.occurred_at)} {'已接通' if r.caller_reached else '未接通'} "
            f"{said(r.satisfaction)} {masked(r.comment)}"
            for r in findings.ratings
        )
        praise = "；".join(
            f"{self.time(p.occurred_at)} {masked(p.by) or '匿名'}：{masked(p.message)}"
            for p in findings.praise
        )
        response = "无需回音（无诉求人）" if not findings.needs_response else self.time(findings.responded_at)
        return _rows([
            ("首次回音", response), ("回音用时", _span(findings.response_time)),
            ("回音是否按时", _verdict(findings.responded_on_time)),
            ("办结时间", self.time(findings.resolved_at)),
            ("办结是否按时", _verdict(findings.resolved_on_time)), ("办理结果", said(findings.outcome)),
            ("回访评价", ratings or "—"), ("重办次数", str(findings.rework_count)), ("表扬", praise or "—"),
        ])  # fmt: skip

    def events(self, events: Sequence[ExportedEvent]) -> str:
        header = "<tr>" + "".join(f"<th>{label}</th>" for label in COLUMNS) + "</tr>"
        rows = "".join(
            f"<tr><td>{e.entry.version}</td><td>{TYPE_LABELS.get(e.entry.type, e.entry.type)}</td>"
            f"<td>{self.time(e.entry.occurred_at)}</td><td>{self.time(e.entry.recorded_at)}</td>"
            f"<td>{escape(f'{e.entry.actor.id}（{e.entry.actor.unit}）')}</td>"
            f"<td>{escape(self.facts(e))}</td>"
            f"<td>{e.record.position}<br><code>{e.link.hash.hex() if e.link else '无链接'}</code></td></tr>"
            for e in events
        )
        return f"<table>{header}{rows}</table>"

    def facts(self, event: ExportedEvent) -> str:
        """The event's facts in Chinese, the caller's personal data masked."""
        return event_line(event.entry.type, masked_event_data(event.entry.data, event.caller_name), self.zone)

    def time(self, moment: datetime | None) -> str:
        return moment.astimezone(self.zone).isoformat(timespec="minutes") if moment else "—"


def _rows(pairs: Sequence[tuple[str, str]]) -> str:
    return "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in pairs)


def _span(span: timedelta | None) -> str:
    if span is None:
        return "—"
    hours, rest = divmod(int(span.total_seconds()) // 60, 60)
    return f"{hours}小时{rest}分钟"


def _verdict(state: DeadlineState) -> str:
    return {DeadlineState.MET: "按时", DeadlineState.MISSED: "超时", DeadlineState.PENDING: "未到期"}[state]
