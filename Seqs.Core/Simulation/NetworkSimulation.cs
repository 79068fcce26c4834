using Seqs.Scheduling;

namespace Seqs.Simulation;

/// <summary>
/// A deterministic network in virtual time: <see cref="NetLoop"/>s on one <see cref="VirtualClock"/>, joined by
/// <see cref="VirtualLink"/>s and <see cref="VirtualSwitch"/>es. A run settles each instant (delivers the frames
/// due, fires the clock's timers, and turns every loop, in the order they were added, until nothing is left to do
/// at that instant), then jumps the clock to the earliest next event: a loop's deadline, a frame's arrival or the
/// end of a frame's serialisation, a clock timer. The same setup and seeds replay the same events in the same order.
/// A simulation is driven from one thread; work posted to its loops from other threads runs, but is not replayable.
/// </summary>
public sealed class NetworkSimulation : IDisposable
{
    /// <summary>Rounds at one instant before a run gives up: a legitimate instant needs a handful.</summary>
    public const int DefaultMaxTurnsPerInstant = 10_000;

    private readonly WireEventQueue _events;
    private readonly List<NetLoop> _loops = [];
    private readonly List<NetLoop> _ownedLoops = [];

    /// <param name="maxTurnsPerInstant">
    /// Rounds (each turns every loop once) allowed without virtual time moving before a run throws: the livelock guard.
    /// </param>
    public NetworkSimulation(int maxTurnsPerInstant = DefaultMaxTurnsPerInstant)
        : this(new VirtualClock(), maxTurnsPerInstant)
    {
    }

    public NetworkSimulation(VirtualClock clock, int maxTurnsPerInstant = DefaultMaxTurnsPerInstant)
    {
        if (clock is null)
            throw new ArgumentNullException(nameof(clock));
        if (maxTurnsPerInstant < 1)
            throw new ArgumentOutOfRangeException(nameof(maxTurnsPerInstant), maxTurnsPerInstant, "At least one turn per instant is needed.");
        Clock = clock;
        MaxTurnsPerInstant = maxTurnsPerInstant;
        _events = new WireEventQueue(clock);
    }

    /// <summary>Raised for every frame that reaches a NIC, at its arrival time; see <see cref="FrameTap"/>.</summary>
    public event FrameTap? FrameDelivered
    {
        add => _events.Tap += value;
        remove => _events.Tap -= value;
    }

    public VirtualClock Clock { get; }

    /// <summary>Virtual time since the simulation's clock started.</summary>
    public TimeSpan Now => Clock.Elapsed;

    public int MaxTurnsPerInstant { get; }

    public IReadOnlyList<NetLoop> Loops => _loops;

    /// <summary>Frames and serialisation ends still scheduled.</summary>
    public int EventsInFlight => _events.Count;

    /// <summary>Creates a loop on the simulation's clock, driven by the simulation and disposed with it.</summary>
    public NetLoop CreateLoop(int receiveBatch = NetLoop.DefaultReceiveBatch)
    {
        var loop = new NetLoop(Clock, receiveBatch);
        _loops.Add(loop);
        _ownedLoops.Add(loop);
        return loop;
    }

    /// <summary>Adds a loop created elsewhere; it must run on <see cref="Clock"/>. The caller keeps ownership.</summary>
    public void AddLoop(NetLoop loop)
    {
        if (loop is null)
            throw new ArgumentNullException(nameof(loop));
        if (loop.TimeProvider != Clock)
            throw new ArgumentException("The loop must use the simulation's VirtualClock as its TimeProvider.", nameof(loop));
        if (_loops.Contains(loop))
            throw new InvalidOperationException("The loop is already part of the simulation.");
        _loops.Add(loop);
    }

    /// <summary>Joins two NICs with a cable that applies <paramref name="faults"/> in both directions (B→A seeded with Seed + 1).</summary>
    public VirtualLink Connect(VirtualNic a, VirtualNic b, LinkFaults? faults = null) => Connect(a, b, faults, faults);

    /// <summary>Joins two NICs with a cable whose directions have their own faults.</summary>
    public VirtualLink Connect(VirtualNic a, VirtualNic b, LinkFaults? aToB, LinkFaults? bToA)
    {
        if (a is null)
            throw new ArgumentNullException(nameof(a));
        if (b is null)
            throw new ArgumentNullException(nameof(b));
        if (ReferenceEquals(a, b))
            throw new ArgumentException("A cable joins two different NICs.", nameof(b));
        foreach (VirtualNic nic in (ReadOnlySpan<VirtualNic>)[a, b])
        {
            if (nic.IsConnected)
                throw new InvalidOperationException($"NIC {nic.MacAddress} is already connected; a NIC takes one cable.");
        }
        return new VirtualLink(_events, a, b, aToB ?? LinkFaults.None, bToA ?? LinkFaults.None);
    }

    /// <param name="portCount">Ports, numbered from 0.</param>
    /// <param name="macTableCapacity">Most addresses the switch remembers.</param>
    /// <param name="agingTime">How long an address is remembered without traffic from it; 300 s if null.</param>
    public VirtualSwitch CreateSwitch(int portCount, int macTableCapacity = VirtualSwitch.DefaultMacTableCapacity, TimeSpan? agingTime = null) =>
        new(_events, portCount, macTableCapacity, agingTime ?? VirtualSwitch.DefaultAgingTime);

    /// <summary>Runs the network for <paramref name="duration"/> of virtual time; the clock ends exactly that much later.</summary>
    public void RunFor(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "Virtual time never goes backwards.");
        Run(Now + duration, condition: null);
    }

    /// <summary>
    /// Runs until <paramref name="condition"/>, checked after each settled instant, holds (true; the clock stays at
    /// that instant) or <paramref name="timeout"/> of virtual time has passed (false; the clock ends at the timeout).
    /// </summary>
    public bool RunUntil(Func<bool> condition, TimeSpan timeout)
    {
        if (condition is null)
            throw new ArgumentNullException(nameof(condition));
        if (timeout < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "Virtual time never goes backwards.");
        return Run(Now + timeout, condition);
    }

    public void Dispose()
    {
        _events.Clear();
        foreach (NetLoop loop in _ownedLoops)
            loop.Dispose();
        _ownedLoops.Clear();
        _loops.Clear();
    }

    private bool Run(TimeSpan end, Func<bool>? condition)
    {
        while (true)
        {
            SettleInstant();
            if (condition is not null && condition())
                return true;
            TimeSpan now = Now;
            if (now >= end)
                return false;
            TimeSpan next = NextEventTime() is { } due && due < end ? due : end;
            Clock.AdvanceTo(next > now ? next : now);
        }
    }

    private void SettleInstant()
    {
        for (int round = 0; ; round++)
        {
            if (round == MaxTurnsPerInstant)
            {
                throw new InvalidOperationException(
                    $"Livelock: the network was still busy after {MaxTurnsPerInstant} rounds at virtual time {Now} " +
                    "without time moving on (for example, loops answering each other's frames over a cable with no delay, " +
                    "or a timer that keeps rescheduling itself for now).");
            }
            bool worked = DeliverDueFrames();
            worked |= Clock.FireDueTimers() > 0;
            foreach (NetLoop loop in _loops)
                worked |= loop.RunOnce();
            if (!worked && !HasWorkAt(Now))
                return;
        }
    }

    private bool DeliverDueFrames()
    {
        bool delivered = false;
        TimeSpan now = Now;
        while (_events.TryDequeueDue(now, out WireEvent item))
        {
            item.Channel.OnEvent(in item);
            delivered = true;
        }
        return delivered;
    }

    private bool HasWorkAt(TimeSpan now) => NextEventTime() is { } next && next <= now;

    private TimeSpan? NextEventTime()
    {
        TimeSpan? next = _events.NextTime;
        if (Clock.NextTimerDue is { } timer && (next is null || timer < next))
            next = timer;
        foreach (NetLoop loop in _loops)
        {
            if (loop.NextDeadline is { } deadline && (next is null || deadline < next))
                next = deadline;
        }
        return next;
    }
}
