# Before a cluster run submits anything, ask SLURM once whether it answers. The SLURM
# executor otherwise submits, then keeps waiting without a word when the controller is
# unreachable or its job-status command fails (sacct without an accounting database).
import subprocess

# sinfo gives up on an unreachable controller after about 10 s; a loaded one may be slower.
SCHEDULER_TIMEOUT_S = 60


def slurm_answer_problem(command):
    """None when ``command`` (a SLURM client call) succeeds, else why not, in one line."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=SCHEDULER_TIMEOUT_S)
    except FileNotFoundError:
        return f"{command[0]} is not installed"
    except subprocess.TimeoutExpired:
        return f"{command[0]} got no answer within {SCHEDULER_TIMEOUT_S} s"
    if done.returncode == 0:
        return None
    lines = [line.strip() for line in (done.stderr + done.stdout).splitlines() if line.strip()]
    return f"{command[0]} fails: {lines[-1] if lines else f'exit status {done.returncode}'}"


def slurm_preflight_problem(status_command):
    """Why a run on SLURM would stall (one line), or None: the controller and the status command."""
    problem = slurm_answer_problem(["sinfo", "--noheader", "--format=%P"])
    if problem:
        return (f"the SLURM scheduler does not answer ({problem}); start it or check slurm.conf "
                "(a cluster on this machine: sudo workflow/cluster/local-slurm.sh start)")
    if status_command == "sacct":
        problem = slurm_answer_problem(["sacct", "--noheader", "-X", "--format=JobIdRaw", "--starttime=now-1hours"])
        if problem:
            return (f"sacct, the job-status command of this run, {problem.removeprefix('sacct ')}; "
                    "set slurm-status-command: squeue in the profile")
    return None


onstart:
    if workflow.executor_plugin is not None and workflow.executor_plugin.name == "slurm":
        problem = slurm_preflight_problem(workflow.executor_settings.status_command)
        if problem:
            sys.exit(f"AID-HEART: {problem}")
