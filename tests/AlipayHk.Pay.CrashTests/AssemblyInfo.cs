// The crash runs start app processes, a simulator and a database, and share 2 cores: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
