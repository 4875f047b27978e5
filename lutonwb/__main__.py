from lutonwb.cli import main

raise SystemExit(main())
