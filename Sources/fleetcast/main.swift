// The entry point: a synchronous main that parks the main thread (Fleetcast+Entry.swift says why).
Fleetcast.runOnMainThreadParked()
