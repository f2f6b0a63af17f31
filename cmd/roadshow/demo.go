package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/roadshow/roadshow/internal/auth"
	"github.com/roadshow/roadshow/roadshow"
)

// demoPassword is the password of every demo account; printed with the logins.
const demoPassword = "roadshow-demo-2026"

// demoBase is a team's base: where it is, its time zone, and names that fit.
type demoBase struct {
	country, timezone string
	first, last       []string
}

func demoBases() []demoBase {
	return []demoBase{
		{"US", "America/Los_Angeles", []string{"Emily", "Jacob", "Olivia", "Ethan"}, []string{"Carter", "Nguyen", "Walsh", "Patel"}},
		{"US", "America/New_York", []string{"Hannah", "Michael", "Grace"}, []string{"Brooks", "Kim", "Rivera"}},
		{"JP", "Asia/Tokyo", []string{"Yuki", "Haruto", "Sakura", "Ren"}, []string{"Tanaka", "Sato", "Suzuki", "Ito"}},
		{"GB", "Europe/London", []string{"Oliver", "Amelia", "Harry"}, []string{"Hughes", "Clarke", "Evans"}},
		{"DE", "Europe/Berlin", []string{"Lukas", "Mia", "Jonas", "Lea"}, []string{"Müller", "Schmidt", "Weber", "Fischer"}},
		{"SG", "Asia/Singapore", []string{"Wei Ling", "Arjun", "Nur"}, []string{"Tan", "Lim", "Rahman"}},
		{"CA", "America/Toronto", []string{"Liam", "Chloé", "Noah"}, []string{"Tremblay", "Roy", "Wilson"}},
		{"IL", "Asia/Jerusalem", []string{"Noa", "Itai", "Tamar"}, []string{"Levi", "Cohen", "Mizrahi"}},
		{"KR", "Asia/Seoul", []string{"Minjun", "Seoyeon", "Jiho"}, []string{"Kim", "Lee", "Park"}},
		{"FR", "Europe/Paris", []string{"Camille", "Louis", "Inès"}, []string{"Martin", "Bernard", "Dubois"}},
		{"AU", "Australia/Sydney", []string{"Charlotte", "Jack", "Isla"}, []string{"Smith", "Taylor", "Brown"}},
		{"NL", "Europe/Amsterdam", []string{"Daan", "Sanne"}, []string{"de Vries", "Jansen"}},
		{"SE", "Europe/Stockholm", []string{"Elsa", "Oscar"}, []string{"Lindqvist", "Berg"}},
		{"IN", "Asia/Kolkata", []string{"Priya", "Rohan"}, []string{"Sharma", "Iyer"}},
		{"BR", "America/Sao_Paulo", []string{"Ana", "Rafael"}, []string{"Silva", "Costa"}},
		{"NZ", "Pacific/Auckland", []string{"Aroha", "Tom"}, []string{"Ngata", "Wilson"}},
	}
}

// demoIdeas are project themes per industry: a title stem and what it does.
func demoIdeas() map[string][][2]string {
	return map[string][][2]string{
		"digital-tech":       {{"Edge AI inspection", "computer-vision quality inspection that runs on factory edge devices"}, {"Low-code ERP", "a low-code ERP for small manufacturers exporting to Asia"}, {"Privacy-preserving analytics", "federated analytics so companies can share insights without sharing data"}},
		"metaverse":          {{"Digital twin port", "a real-time 3D digital twin of port operations for training and planning"}, {"XR vocational training", "mixed-reality training for welders and electricians"}, {"Virtual showroom", "photoreal virtual showrooms for furniture exporters"}},
		"connected-vehicles": {{"V2X safety layer", "vehicle-to-everything warnings for intersections without line of sight"}, {"Fleet battery health", "battery state-of-health prediction for electric delivery fleets"}, {"HD map updates", "crowd-sourced high-definition map updates from dashcams"}},
		"clean-energy":       {{"Green hydrogen electrolyser", "a membrane electrolyser with 20% lower stack cost"}, {"Offshore wind monitoring", "drone and sensor monitoring of offshore wind turbine blades"}, {"Solid-state storage", "solid-state battery storage for commercial buildings"}},
		"life-health":        {{"Early sepsis detection", "machine-learning sepsis alerts from routine ICU vital signs"}, {"Marine collagen biomaterials", "medical-grade collagen from fish processing by-products"}, {"Remote cardiac rehab", "a home cardiac rehabilitation programme with wearables"}},
		"culture-tourism":    {{"Smart heritage guide", "multilingual AR guides for heritage sites"}, {"Cruise itinerary AI", "personalised shore excursions for cruise passengers"}, {"Creative IP studio", "animation IP co-produced with local studios"}},
		"smart-ocean":        {{"Aquaculture sensing", "low-cost sensors and models for offshore fish farms"}, {"Autonomous survey vessel", "an uncrewed surface vessel for seabed and water-quality surveys"}, {"Sea-cucumber traceability", "end-to-end traceability for premium seafood"}},
		"high-end-equipment": {{"Precision reducers", "high-precision harmonic reducers for industrial robots"}, {"Additive repair", "laser additive repair of turbine and mould components"}, {"Predictive maintenance", "vibration analytics for CNC machine tools"}},
		"digital-trade":      {{"Cross-border compliance", "automated customs and compliance checks for e-commerce sellers"}, {"Trade finance on-chain", "tokenised letters of credit for SME exporters"}, {"B2B marketplace localisation", "AI localisation of B2B product catalogues"}},
	}
}

// demo fills an empty store with a realistic edition.
func demo(ctx context.Context, cfg config, n int, stdout, stderr io.Writer) error {
	if n < 1 || n > 100_000 {
		return fmt.Errorf("--applications: want 1..100000, got %d", n)
	}
	log := newLogger(stderr, cfg.LogLevel)
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	page, err := st.db.Applications().ListApplications(ctx, roadshow.ApplicationFilter{Limit: 1})
	if err != nil {
		return err
	}
	if len(page.Items) > 0 {
		return errors.New("the store already holds applications; demo fills only an empty store (use another ROADSHOW_DATA_DIR)")
	}
	hash, err := auth.HashPassword(demoPassword)
	if err != nil {
		return err
	}
	clock := roadshow.SystemClock{}
	// Every demo account has the one demo password: hashing it once keeps
	// a demo of hundreds of accounts quick.
	accounts := &roadshow.UserService{Accounts: roadshow.Accounts{Store: st.db.Users(), Passwords: sameHash(hash), Clock: clock}}
	mk := func(email, name, country string, role roadshow.Role) (*roadshow.User, error) {
		in := roadshow.NewUser{Email: email, Password: demoPassword, Name: name, Country: country, Role: role}
		var u *roadshow.User
		var err error
		if role == roadshow.RoleApplicant {
			if _, err = accounts.Register(ctx, in); err == nil {
				u, err = st.db.Users().UserByEmail(ctx, email)
			}
		} else {
			u, err = accounts.AddStaff(ctx, in)
		}
		if roadshow.ErrorCode(err) == roadshow.ECONFLICT {
			return st.db.Users().UserByEmail(ctx, email)
		}
		return u, explain(err)
	}
	logins := [][3]string{}
	staff := []struct {
		email, name, country string
		role                 roadshow.Role
	}{
		{"organizer@demo.roadshow", "Li Na (organizer)", "CN", roadshow.RoleOrganizer},
		{"judge1@demo.roadshow", "Prof. Wang Jian", "CN", roadshow.RoleJudge},
		{"judge2@demo.roadshow", "Dr. Sarah Whitfield", "GB", roadshow.RoleJudge},
		{"judge3@demo.roadshow", "Kenji Morimoto", "JP", roadshow.RoleJudge},
		{"judge4@demo.roadshow", "Zhao Min", "CN", roadshow.RoleJudge},
		{"investor1@demo.roadshow", "Harbor Bay Ventures", "CN", roadshow.RoleInvestor},
		{"investor2@demo.roadshow", "Northstar Capital", "SG", roadshow.RoleInvestor},
		{"investor3@demo.roadshow", "Yellow Sea Angels", "CN", roadshow.RoleInvestor},
	}
	var organizerID string
	var judgeIDs, investorIDs []string
	for _, s := range staff {
		u, err := mk(s.email, s.name, s.country, s.role)
		if err != nil {
			return fmt.Errorf("create %s: %w", s.email, err)
		}
		switch s.role {
		case roadshow.RoleOrganizer:
			organizerID = u.ID
		case roadshow.RoleJudge:
			judgeIDs = append(judgeIDs, u.ID)
		case roadshow.RoleInvestor:
			investorIDs = append(investorIDs, u.ID)
		}
		logins = append(logins, [3]string{string(s.role), s.email, demoPassword})
	}
	rng := rand.New(rand.NewPCG(2026, 11))
	inds := roadshow.Industries()
	ideas := demoIdeas()
	bases := demoBases()
	stages := roadshow.Stages()
	currencies := []string{"USD", "EUR", "USD", "CNY", "GBP", "JPY", "SGD"}
	apps := st.db.Applications()
	start := time.Now()
	for i := 0; i < n; i++ {
		b := bases[i%len(bases)]
		ind := inds[(i*7+i/len(bases))%len(inds)]
		idea := ideas[ind.Code][rng.IntN(len(ideas[ind.Code]))]
		founder := b.first[rng.IntN(len(b.first))] + " " + b.last[rng.IntN(len(b.last))]
		email := fmt.Sprintf("team%03d@demo.roadshow", i+1)
		owner, err := mk(email, founder, b.country, roadshow.RoleApplicant)
		if err != nil {
			return fmt.Errorf("create %s: %w", email, err)
		}
		if i < 3 {
			logins = append(logins, [3]string{"applicant", email, demoPassword})
		}
		now := clock.Now().Add(-time.Duration(n-i) * 37 * time.Minute)
		team := []roadshow.TeamMember{
			{Name: founder, Role: "CEO and co-founder", Nationality: b.country, Bio: "Previously led product at a listed " + ind.NameEN + " company; 10 years in the field."},
			{Name: b.first[rng.IntN(len(b.first))] + " " + b.last[rng.IntN(len(b.last))], Role: "CTO", Nationality: b.country, Bio: "PhD; built the core technology."},
		}
		if rng.IntN(3) == 0 {
			team = append(team, roadshow.TeamMember{Name: "Chen Hao", Role: "China business lead", Nationality: "CN", Bio: "Dalian native; 8 years of channel sales in Northeast China."})
		}
		a := &roadshow.Application{
			OwnerID:     owner.ID,
			Title:       fmt.Sprintf("%s %s", idea[0], []string{"", "Pro", "Cloud", "Lab", "One", "X"}[rng.IntN(6)]),
			Summary:     fmt.Sprintf("%s builds %s. Founded in %s; %d pilot customers; seeking partners in the Dalian high-tech zone's %s cluster.", founder, idea[1], b.country, 1+rng.IntN(12), ind.NameEN),
			Industry:    ind.Code,
			Stage:       stages[rng.IntN(len(stages))],
			Country:     b.country,
			Timezone:    b.timezone,
			Team:        team,
			FundingAsk:  &roadshow.Money{Amount: int64(100_000 * (1 + rng.IntN(50))), Currency: currencies[rng.IntN(len(currencies))]},
			LandingPlan: "Register a subsidiary in the zone within six months, hire a local team of 5-10, run a pilot with a zone enterprise, and set up R&D with a Dalian university.",
			Website:     fmt.Sprintf("https://team%03d.example.com", i+1),
			CreatedAt:   now,
			UpdatedAt:   now,
		}
		// A realistic mix: most submitted and screened, some still drafts, a few withdrawn.
		switch r := rng.IntN(100); {
		case r < 15:
			a.Status = roadshow.StatusDraft
		case r < 40:
			a.Status = roadshow.StatusSubmitted
		case r < 80:
			a.Status = roadshow.StatusEligible
		case r < 93:
			a.Status = roadshow.StatusIneligible
		default:
			a.Status = roadshow.StatusWithdrawn
		}
		if a.Status != roadshow.StatusDraft {
			t := now.Add(time.Hour)
			a.SubmittedAt = &t
		}
		if a.Status == roadshow.StatusEligible || a.Status == roadshow.StatusIneligible {
			note := "Fits the zone's focus; strong team."
			if a.Status == roadshow.StatusIneligible {
				note = "Outside the 1+8 focus or incomplete landing plan."
			}
			a.Screening = &roadshow.Screening{Decision: a.Status, Note: note, By: organizerID, At: now.Add(2 * time.Hour)}
		}
		if err := apps.CreateApplication(ctx, a); err != nil {
			return fmt.Errorf("create application %d: %w", i+1, err)
		}
	}
	planned, first, err := demoSchedule(ctx, st, clock, organizerID, judgeIDs, investorIDs)
	if err != nil {
		return fmt.Errorf("plan demo sessions: %w", err)
	}
	// The first session and the logins of its teams: enough to try a live
	// pitch on one laptop (see the README).
	var tryLive []string
	if first != nil {
		for i, sl := range first.Slots {
			a, err := apps.ApplicationByID(ctx, sl.ApplicationID)
			if err != nil {
				return fmt.Errorf("read application %s: %w", sl.ApplicationID, err)
			}
			u, err := st.db.Users().UserByID(ctx, a.OwnerID)
			if err != nil {
				return fmt.Errorf("read the owner of %s: %w", sl.ApplicationID, err)
			}
			tryLive = append(tryLive, fmt.Sprintf("  applicant  %s  (slot %d: %s)", u.Email, i+1, sl.Title))
		}
	}
	log.Info("demo edition created", "applications", n, "sessions", planned, "took", time.Since(start).Round(time.Millisecond))
	if st.embedded != nil {
		if err := st.embedded.EnsureIDIndexes(ctx, cfg.MongoDB); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "Demo edition ready: %d applications over the nine 1+8 industries, %d pitch sessions planned.\nLog in at the UI with any of these (password %q):\n", n, planned, demoPassword)
	for _, l := range logins {
		fmt.Fprintf(stdout, "  %-10s %s\n", l[0], l[1])
	}
	fmt.Fprintf(stdout, "  applicant  team001 ... team%03d@demo.roadshow\n", n)
	if first != nil {
		fmt.Fprintf(stdout, "To try a live pitch: as the organizer, open the session %q (Sessions) and press Start. Its judges, investors and teams:\n", first.Title)
		for _, id := range append(append([]string{}, first.Judges...), first.Investors...) {
			if u, err := st.db.Users().UserByID(ctx, id); err == nil {
				fmt.Fprintf(stdout, "  %-10s %s\n", u.Role, u.Email)
			}
		}
		for _, l := range tryLive {
			fmt.Fprintln(stdout, l)
		}
	}
	return nil
}

// demoSchedule plans the eligible teams into pitch sessions from next Monday
// 09:00 Dalian time, through the same rules organizers use, and gives every
// session the demo judges and investors. It returns how many sessions it
// planned and the first of them (by start, then title).
func demoSchedule(ctx context.Context, st *store, clock roadshow.Clock, organizerID string, judges, investors []string) (int, *roadshow.Session, error) {
	services := roadshow.NewServices(st.db.Stores(), roadshow.ServiceOptions{Clock: clock, Passwords: auth.NewPasswords(0, 0)})
	org := roadshow.Actor{UserID: organizerID, Role: roadshow.RoleOrganizer}
	dalian, err := time.LoadLocation(roadshow.ZoneTimezone)
	if err != nil {
		return 0, nil, err
	}
	now := clock.Now().In(dalian)
	monday := time.Date(now.Year(), now.Month(), now.Day(), 9, 0, 0, 0, dalian)
	for monday.Weekday() != time.Monday || !monday.After(now) {
		monday = monday.AddDate(0, 0, 1)
	}
	// One track: the judges and investors can be in every session without
	// being in two at once.
	res, err := services.Planning.Plan(ctx, org, roadshow.PlanRequest{FirstStart: monday, Tracks: 1, Days: 7})
	if err != nil {
		return 0, nil, err
	}
	assign := func(se *roadshow.Session, role roadshow.Role, id string) error {
		_, err := services.Sessions.SetParticipant(ctx, org, se.ID, role, id, true)
		if roadshow.ErrorMsg(err).Key == "session.participant_busy" {
			return nil // busy elsewhere at that time: the session goes without them
		}
		return err
	}
	for i, se := range res.Sessions {
		// Three judges per session, rotating, and every investor.
		for k := 0; k < 3 && k < len(judges); k++ {
			if err := assign(se, roadshow.RoleJudge, judges[(i+k)%len(judges)]); err != nil {
				return 0, nil, err
			}
		}
		for _, inv := range investors {
			if err := assign(se, roadshow.RoleInvestor, inv); err != nil {
				return 0, nil, err
			}
		}
	}
	var first *roadshow.Session
	for _, se := range res.Sessions {
		if first == nil || se.Start.Before(first.Start) || se.Start.Equal(first.Start) && se.Title < first.Title {
			first = se
		}
	}
	if first != nil {
		// As it is now, with its judges and investors.
		if first, err = services.Sessions.Get(ctx, org, first.ID); err != nil {
			return 0, nil, err
		}
	}
	return len(res.Sessions), first, nil
}

// sameHash gives every account the hash of the one demo password.
type sameHash string

func (h sameHash) Normalize(password string) string { return password }

func (h sameHash) HashPassword(context.Context, string) (string, error) { return string(h), nil }

func (h sameHash) CheckPassword(_ context.Context, hash, password string) (bool, error) {
	return auth.CheckPassword(hash, password), nil
}
