"""The plan store's errors: one line each, fit for the planner, the same for SQLite and PostgreSQL."""

from __future__ import annotations


class StoreError(RuntimeError):
    """The store cannot be read or written; the message is one line, fit for a user."""


class QuotaExceeded(StoreError):
    """The owner keeps as many drafts, or has published as many plans in 24 hours, as allowed.

    Attributes: ``what`` ("drafts" or "publishes") and ``limit``. Nothing was written.
    """

    def __init__(self, what: str, limit: int) -> None:
        self.what, self.limit = what, limit
        if what == "drafts":
            super().__init__(f"草图数量已达上限（每人 {limit} 份）：请先删除不再需要的草图"
                             f" / draft limit reached ({limit} per person): delete drafts you no longer need first")
        else:
            super().__init__(f"24 小时内的发布次数已达上限（每人 {limit} 次），请稍后再发布"
                             f" / publish limit reached ({limit} per person in 24 hours): publish again later")


class PlanWithdrawn(StoreError):
    """The plan was withdrawn by an administrator: publishing the same content again is refused."""

    def __init__(self, plan_id: str) -> None:
        self.plan_id = plan_id
        super().__init__(f"此规划（{plan_id}）已被管理员撤下，不能再次发布"
                         f" / this plan ({plan_id}) was withdrawn by an administrator and cannot be published again")


def _one_line(exc: BaseException) -> str:
    """The first line of a driver's message (enough to tell an administrator what happened)."""
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]


# One message per kind of fault, the same for both backends: the planner learns what is wrong (the page adds
# that the draft is still there); the driver's own line follows for whoever runs the server.
def unreachable_error(exc: BaseException) -> StoreError:
    return StoreError(f"无法连接规划存储 / cannot reach the plan store: {_one_line(exc)}")


def read_only_error(exc: BaseException) -> StoreError:
    return StoreError(f"规划存储只读，无法写入 / the plan store is read-only: {_one_line(exc)}")


def full_error(exc: BaseException) -> StoreError:
    return StoreError(f"规划存储已满，无法写入 / the plan store is full: {_one_line(exc)}")


def failed_error(exc: BaseException) -> StoreError:
    return StoreError(f"规划存储读写失败 / the plan store failed: {_one_line(exc)}")
