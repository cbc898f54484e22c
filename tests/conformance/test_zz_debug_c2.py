from tests.conformance.test_tasks_extra import no_return
from flytelite.core.task import task
from flytekit import task as kit_task
from flytelite.core.context_manager import FlyteContextManager
from flytelite.core.utils import has_return_statement
import flytekit
def test_dbg():
    c = flytekit.FlyteContextManager.current_context()
    print("KITMODE", c.execution_state.mode if c.execution_state else "no es")
    print("MODE", FlyteContextManager.current_context().execution_state.mode, FlyteContextManager.size(), has_return_statement(no_return))
    try:
        task(no_return)
        print("LITE no raise")
    except Exception as e:
        print("LITE", type(e))
    assert 0
