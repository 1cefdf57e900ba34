"""Article bodies of the news outlets (Newswire Press, The Daily Ledger, the blog, the digest).

Original prose written for the sample web; events are real, wording is not taken from any
published article. Wire stories carry no dateline here: it is added per outlet.
"""

from __future__ import annotations

TEXTS: dict[str, tuple[str, ...]] = {
    "nw_opec": (
        (
            "OPEC and its allies agreed on Thursday to raise oil output by a modest 500,000 barrels "
            "a day from January, settling a dispute that had stalled their talks for three days and "
            "rattled a market still weighed down by the pandemic."
        ),
        (
            "The group, known as OPEC+, had been due to ease its cuts by two million barrels a day at "
            "the start of the year. Saudi Arabia pushed to keep the current restrictions in place for "
            "longer, while Russia, the United Arab Emirates and several other producers argued that "
            "prices had recovered enough to allow more supply."
        ),
        (
            "Under the compromise, ministers will meet every month to decide whether to add further "
            "volumes, with any single increase capped at 500,000 barrels a day. Total cuts will stand "
            "at 7.2 million barrels a day in January, about seven percent of global demand."
        ),
        (
            "Brent crude rose about one percent after the decision to trade near 49 dollars a barrel, "
            "its highest level since early March. Analysts said the monthly meetings would give the "
            "group flexibility as vaccine rollouts change the outlook for fuel demand."
        ),
        (
            '"This is a balanced outcome that keeps the market on the path to recovery," an official '
            "from one of the delegations told Newswire Press, speaking on condition of anonymity "
            "because the talks were private."
        ),
        (
            "Demand for jet fuel remains far below its level before the pandemic, and new lockdowns in "
            "Europe have cut road traffic again in recent weeks, limiting the room for producers to "
            "add barrels without pushing prices lower."
        ),
    ),
    "nw_eu_vaccine": (
        (
            "Europe's medicines regulator on Wednesday recommended approval of a second COVID-19 "
            "vaccine for use in the European Union, giving the bloc's slow immunisation campaign a "
            "badly needed boost."
        ),
        (
            "The European Medicines Agency said the vaccine developed by U.S. biotech company Moderna "
            "was safe and effective in people aged 18 and over. The European Commission granted "
            "conditional marketing authorisation within hours of the recommendation."
        ),
        (
            "The EU has ordered 160 million doses of the Moderna vaccine, which uses the same "
            "messenger RNA technology as the shot from Pfizer and BioNTech approved in December. The "
            "Moderna vaccine can be kept in ordinary freezers, making it easier to distribute to "
            "smaller clinics and rural areas."
        ),
        (
            "Member states have been criticised for the slow start of their vaccination drives. "
            "Germany had inoculated about 300,000 people by the start of the week, while the "
            "Netherlands only began giving shots on Wednesday."
        ),
        (
            "The agency said its experts were still reviewing data from a third candidate, developed "
            "by AstraZeneca and the University of Oxford, and that a decision could come by the end "
            "of January."
        ),
        "Health officials in several member states said they expected the first Moderna deliveries within days and would send them to regions where the Pfizer doses, which must be stored at around minus 70 degrees Celsius, had proved hardest to handle.",
        "The Commission has faced criticism from national governments for negotiating too slowly and for spreading its orders across several developers. Officials defended the approach, saying it reduced the risk of relying on a single vaccine that might fail in late-stage trials.",
    ),
    "nw_chips": (
        (
            "A global shortage of semiconductors is forcing carmakers to halt assembly lines across "
            "Europe, with production losses expected to run into hundreds of thousands of vehicles "
            "in the first quarter."
        ),
        (
            "Volkswagen, Daimler and Stellantis have all cut shifts or paused plants in recent weeks "
            "because they cannot get enough chips for engine control units, braking systems and "
            "infotainment screens."
        ),
        (
            "The shortage began when carmakers cancelled orders during last spring's lockdowns, and "
            "chip foundries shifted their capacity to makers of laptops, game consoles and phones, "
            "which were selling strongly as people worked and studied from home."
        ),
        (
            "When car sales rebounded faster than expected in the second half of the year, the "
            "foundries could not switch back quickly. Building new capacity takes years, and the "
            "most advanced plants are concentrated in Taiwan and South Korea."
        ),
        (
            "Industry groups have urged governments to help. The European Commission has said it "
            "wants the EU to produce a fifth of the world's most advanced chips by the end of the "
            "decade, up from about ten percent today."
        ),
        (
            "Analysts expect the shortage to last at least until the middle of the year, and some "
            "warned that it could spread to other industries that depend on the same components."
        ),
        "Carmakers said they were prioritising their most profitable models, such as sport utility vehicles and premium sedans, and building some cars without certain electronic features, to be fitted later when supplies improve.",
    ),
    "nw_mars": (
        (
            "NASA's Perseverance rover landed safely on Mars on Thursday after a seven-month journey, "
            "touching down in Jezero Crater, an ancient lake bed that scientists believe is one of "
            "the best places to look for signs of past microbial life."
        ),
        (
            "Mission controllers at the Jet Propulsion Laboratory in California erupted in applause "
            "when confirmation of the landing arrived, about eleven minutes after the event because "
            "of the time radio signals take to travel between the planets."
        ),
        (
            "The car-sized rover used a new navigation system that compared camera images with maps "
            "stored on board to steer away from hazards during its final descent. Minutes after "
            "landing it sent back its first black-and-white images of the surrounding terrain."
        ),
        (
            "Over the coming years Perseverance will collect rock samples and seal them in tubes that "
            "a later mission is due to bring back to Earth. It also carries a small helicopter, "
            "Ingenuity, which will attempt the first powered flight on another planet."
        ),
        (
            "The landing followed the arrival in Mars orbit of probes from the United Arab Emirates "
            "and China earlier this month, making February one of the busiest periods in the history "
            "of Mars exploration."
        ),
        "The mission cost about 2.7 billion dollars and is the ninth successful American landing on Mars. Engineers will spend the first weeks checking the rover's instruments, cameras and robotic arm before it begins driving towards the remains of an ancient river delta on the crater's western edge.",
    ),
    "dl_karabakh": (
        (
            "A humanitarian truce for Nagorno-Karabakh announced by the State Department on Sunday "
            "collapsed almost immediately on Monday, with Armenia and Azerbaijan accusing each other "
            "of shelling civilian areas within minutes of the deadline."
        ),
        (
            "It was the third attempt in a month to halt the fighting over the mountainous enclave, "
            "which lies inside Azerbaijan but has been run by ethnic Armenians since a war that ended "
            "in 1994. Two earlier ceasefires brokered by Russia fell apart just as quickly."
        ),
        (
            "Residents of Stepanakert, the region's main city, told The Daily Ledger by telephone that "
            'air raid sirens sounded throughout the morning. "We heard the announcement on the radio '
            'and went back to the basement an hour later," said a teacher who asked that her name be '
            "withheld for safety."
        ),
        (
            "Azerbaijan's defence ministry said its forces had taken control of more villages in the "
            "south of the region, near the Iranian border. Armenian officials acknowledged heavy "
            "fighting there but denied that positions had been lost."
        ),
        (
            "More than a thousand people are believed to have been killed since the war began on "
            "September 27, though both sides are thought to be under-reporting military deaths. Tens "
            "of thousands of civilians have fled."
        ),
        (
            "Diplomats said the failure showed the limits of outside mediation while Azerbaijan, "
            'backed by Turkey, believes it can win back territory by force. "As long as one side '
            'thinks it is winning, a pause looks like a loss," said a European official involved in '
            "the talks."
        ),
    ),
    "dl_lumber": (
        (
            "The price of lumber in the United States has climbed to record highs this spring, adding "
            "tens of thousands of dollars to the cost of a new home and leaving builders scrambling "
            "for framing materials."
        ),
        (
            "Futures for delivery in July traded above 1,600 dollars per thousand board feet this "
            "week, roughly four times their level a year ago. The National Association of Home "
            "Builders estimates that the increase adds about 36,000 dollars to the price of an "
            "average new single-family house."
        ),
        (
            "The surge reflects a collision of supply and demand. Sawmills cut output sharply at the "
            "start of the pandemic, expecting a slump in construction. Instead, low mortgage rates "
            "and the shift to remote work set off a buying frenzy for houses with more space."
        ),
        (
            "At the same time, Americans stuck at home spent their savings on decks, fences and "
            "renovations, emptying the shelves of home improvement stores. Mills have since raised "
            "production, but labour shortages and wildfire damage in British Columbia have slowed "
            "the recovery."
        ),
        (
            '"Some of my customers have put projects on hold until autumn," said a contractor in '
            'Ohio. "Others are signing contracts with price escalation clauses, which nobody ever '
            'asked for before."'
        ),
        (
            "Economists expect prices to fall once mills catch up, but few are willing to predict "
            "when. Futures markets point to a decline later in the year."
        ),
    ),
    "dl_heatwave": (
        (
            "An unprecedented heat wave sent temperatures in the Pacific Northwest to levels never "
            "recorded in the region, with Portland, Oregon, reaching 116 degrees Fahrenheit on "
            "Monday, breaking the record it set only the day before."
        ),
        (
            "Seattle hit 108 degrees, and the village of Lytton in British Columbia recorded 121 "
            "degrees, the highest temperature ever measured in Canada. Meteorologists said a dome of "
            "high pressure had trapped hot air over the region for several days."
        ),
        (
            "Few homes in the region have air conditioning, because summers are usually mild. Cities "
            "opened cooling centres in libraries and convention halls, and transit agencies offered "
            "free rides to people travelling to them."
        ),
        (
            "The heat buckled roads and melted power cables for Portland's streetcar, which suspended "
            "service. Hospitals reported a surge in patients with heat stroke, and officials in "
            "several counties warned that the number of deaths would rise in the coming days."
        ),
        (
            "Climate scientists said such extreme temperatures would have been virtually impossible "
            'without human-caused warming. "This is not the hottest summer of our lives, it is one '
            'of the coolest summers of the rest of our lives," one researcher said.'
        ),
        "Power companies asked customers to limit use of electricity in the late afternoon, and some neighbourhoods in Spokane were without power for several hours as utilities cut supply to prevent damage to overloaded equipment.",
        "Forecasters said relief would come from the coast in the middle of the week, when cooler marine air was expected to push inland, but warned that the heat would shift east into Idaho and Montana, where wildfire risk was already high.",
    ),
    "dl_fusion": (
        (
            "Scientists at the Lawrence Livermore National Laboratory in California have produced "
            "a burst of fusion energy eight times larger than in any previous experiment at the "
            "facility, bringing them close to the long-sought goal of ignition."
        ),
        (
            "In an experiment on August 8, the laboratory's National Ignition Facility focused 192 "
            "laser beams onto a capsule of hydrogen fuel the size of a peppercorn. The resulting "
            "implosion released more than 1.3 megajoules of energy in less than a hundred trillionths "
            "of a second."
        ),
        (
            "That is about seventy percent of the energy delivered by the lasers to the target, "
            "compared with around three percent in experiments a few years ago. Ignition, the point at "
            "which the reaction releases more energy than the lasers put in, now appears within "
            "reach."
        ),
        (
            "Researchers cautioned that a power plant based on the technique remains decades away. "
            "The lasers themselves consume far more electricity from the grid than the experiment "
            "produced, and the facility can fire only a few shots a day."
        ),
        (
            "The result was nonetheless welcomed across the field. The laboratory said it would "
            "publish the details in peer-reviewed journals after further analysis."
        ),
        "The facility was built mainly to study the physics of nuclear weapons without testing them, a mission that has drawn criticism from some scientists who argue that the money would be better spent on other approaches to fusion energy. Private companies pursuing magnetic confinement designs have raised billions of dollars in recent years.",
        "The next experiments will try to repeat the result and to understand why this shot performed so much better than earlier ones, which researchers attribute to improvements in the capsule and in the shape of the laser pulse.",
    ),
    "ftb_evening_news": (
        (
            "I used to watch the evening news every night. My parents did it, and I guess I never "
            "questioned it. Half an hour, a few stories, a weather report, and you felt like you knew "
            "what was going on in the world."
        ),
        (
            "Then last year happened. I started noticing how every channel ran the same story, in "
            "the same order, often with the same words. If you don't believe me, look up a few "
            "of those compilation videos where dozens of anchors read out an identical script."
        ),
        (
            "It is not a conspiracy, exactly. A lot of it comes from the same wire services and the "
            "same press releases, and newsrooms have been cut so badly that nobody has time to do "
            "their own reporting. But the result is the same: one version of events, repeated until "
            "it feels like common sense."
        ),
        (
            "So I started this blog to collect the stories that don't make it into that half hour, "
            "from writers and sites most people have never heard of. Some of them I agree with, some "
            "I don't. The point is to read widely and make up your own mind."
        ),
        (
            "If you have a tip or an article you think I should post, use the contact form. And if "
            "you like what you read here, share it. That's the only way this works."
        ),
        "One more thing: I don't run ads, and I never will. The hosting costs come out of my own pocket. If a post here made you think twice about something you saw on television, that is payment enough.",
    ),
    "em_caspian": (
        (
            "The Caspian Pipeline Consortium shipped a record volume of crude oil through its "
            "terminal near Novorossiysk in the first half of the year, the company said on Thursday, "
            "as production in western Kazakhstan recovered from last year's cuts."
        ),
        (
            "The pipeline carries oil from the Tengiz and Karachaganak fields across southern Russia "
            "to the Black Sea coast, where it is loaded onto tankers bound for Mediterranean "
            "refineries. It handles about two thirds of Kazakhstan's oil exports."
        ),
        (
            "The consortium, whose shareholders include the Russian and Kazakh governments as well as "
            "several international oil companies, said it had completed the final stage of a "
            "debottlenecking programme that raises capacity at pumping stations along the route."
        ),
        (
            "Kazakhstan plans to raise output further once the expansion of the Tengiz field is "
            "completed, which depends on continued access to the terminal. Any disruption at "
            "Novorossiysk, whether from storms or mooring problems, quickly affects the country's "
            "budget."
        ),
        "Analysts noted that the consortium's tariff, set by the shareholders, remains lower than the cost of alternative routes by rail or across the Caspian Sea to Azerbaijan, which is why Kazakh producers have shown little interest in diversifying so far.",
        "Storm damage to one of the single-point moorings at the terminal in 2020 briefly reduced loadings, and the consortium said replacement equipment would be installed before the winter season.",
    ),
}
